/**
 * A cache entry with the right shape and wrong contents is ignored and
 * rebuilt: never an internal failure, never a changed dataset. Every kind
 * of entry the cache holds is damaged: a compiled file (role, fragment,
 * reference page, skipped file), the manifest of an output folder and its
 * list of written files. And the guards agree with the published schemas.
 */
import {cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {compiledEntryFor} from '../src/driver/incremental/cache-entries.js'
import {main} from '../src/cli/index.js'
import type {SerializedCompiled} from '../src/driver/serialize.js'
import {reference, root} from './helpers/paths.js'
import {recordErrors} from './helpers/schema.js'
import {compileDataset, type CompiledDataset} from '../src/driver/build.js'
import {Cache} from '../src/driver/incremental/cache.js'

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-cache-entries-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

type Json = Record<string, unknown>
type Damage = (value: Json) => unknown

/** Every entry file of the cache folder `folder`, with its value. */
function entries(folder: string): Array<{file: string; value: Json}> {
  return readdirSync(folder, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name)
      return {file, value: (JSON.parse(readFileSync(file, 'utf8')) as {value: Json}).value}
    })
}

/** Rewrite the one entry that `which` picks with `damage(value)`, keeping its format and key; returns what it held. */
function damageEntry(folder: string, which: (value: Json) => boolean, damage: Damage): string {
  const found = entries(folder).filter(({value}) => which(value))
  expect(found).toHaveLength(1)
  const {file} = found[0] as {file: string}
  const text = readFileSync(file, 'utf8')
  const entry = JSON.parse(text) as Json
  writeFileSync(file, JSON.stringify({...entry, value: damage(structuredClone(entry['value']) as Json)}))
  return text
}

const record = (value: Json): Json => value['record'] as Json
const permissions = (value: Json): Json[] => record(value)['permissions'] as Json[]
const reorder = (object: Json): Json => Object.fromEntries(Object.entries(object).reverse())
const withRecord = (value: Json, change: (record: Json) => unknown): Json => ({...value, record: change(record(value))})
const setIn = (object: Json, key: string, to: unknown): Json => ({...object, [key]: to})

const isFile = (name: string) => (value: Json) => (record(value)?.['source'] as Json | undefined)?.['path'] === name || (value['reference'] as Json | null)?.['id'] === name.replace(/\.md$/, '')
const role = isFile('includes/alpha-administrator.md')

/** Damage to a role's entry: each is of a kind the schema (or the file it was compiled from) rules out. */
const roleDamage: Record<string, Damage> = {
  'a record without permissions': (value) => withRecord(value, (r) => ({...r, permissions: undefined})),
  'permissions: "x"': (value) => withRecord(value, (r) => setIn(r, 'permissions', 'x')),
  'a permission without its action': (value) => withRecord(value, (r) => setIn(r, 'permissions', permissions(value).map((p) => ({...p, action: undefined})))),
  'an action that is not one': (value) => withRecord(value, (r) => setIn(r, 'permissions', permissions(value).map((p) => ({...p, action: 'not an action'})))),
  'a namespace that is not the action’s': (value) => withRecord(value, (r) => setIn(r, 'permissions', permissions(value).map((p) => ({...p, namespace: 'microsoft.other'})))),
  'a permission at line 0': (value) => withRecord(value, (r) => setIn(r, 'permissions', permissions(value).map((p) => ({...p, position: {line: 0, column: 1}})))),
  'an id with ../': (value) => withRecord(value, (r) => setIn(r, 'id', '../../escaped')),
  'the id of another file': (value) => withRecord(value, (r) => setIn(r, 'id', 'beta-reader')),
  'a key the schema does not have': (value) => withRecord(value, (r) => ({...r, extra: true})),
  'the keys in another order': (value) => withRecord(value, reorder),
  'a template ID that is not a GUID': (value) => withRecord(value, (r) => setIn(r, 'templateId', 'NOT-A-GUID')),
  'privileged: "yes"': (value) => withRecord(value, (r) => setIn(r, 'privileged', 'yes')),
  'front matter that is a list': (value) => withRecord(value, (r) => setIn(r, 'frontMatter', [1, 2])),
  'the hash of other bytes': (value) => withRecord(value, (r) => setIn(r, 'source', {path: 'includes/alpha-administrator.md', sha256: '0'.repeat(64)})),
  'the path of another file': (value) => withRecord(value, (r) => setIn(r, 'source', {...(r['source'] as Json), path: 'includes/beta-reader.md'})),
  'kind fragment over a role record': (value) => ({...value, kind: 'fragment'}),
  'a message of an unknown rule': (value) => ({...value, messages: [{reason: 'x', ruleId: 'no-such-rule', source: 'roledoc', fatal: true, place: null, actual: null, expected: null, note: null}]}),
  'an error turned into a warning': (value) => ({
    ...value,
    messages: [{reason: 'x', ruleId: 'malformed-action', source: 'roledoc', fatal: false, place: {line: 1, column: 1}, actual: null, expected: null, note: null}]
  })
}

/** Damage to the other kinds of compiled entries. */
const otherDamage: Array<[name: string, which: (value: Json) => boolean, damage: Damage]> = [
  ['a reference page with sections: [1, 2, 3]', isFile('permissions-reference.md'), (value) => ({...value, reference: setIn(value['reference'] as Json, 'sections', [1, 2, 3])})],
  ['a reference page with rows: "x"', isFile('permissions-reference.md'), (value) => ({...value, reference: setIn(value['reference'] as Json, 'rows', 'x')})],
  ['a reference page with the id ../x', isFile('permissions-reference.md'), (value) => ({...value, reference: setIn(value['reference'] as Json, 'id', '../x')})],
  ['a fragment with permissions', isFile('includes/comparison-table.md'), (value) => withRecord(value, (r) => ({...r, permissions: []}))],
  ['a fragment with tables: [1]', isFile('includes/comparison-table.md'), (value) => withRecord(value, (r) => setIn(r, 'tables', [1]))]
]

describe('a compiled file’s cache entry with wrong contents', () => {
  const base = path.join(work, 'compiled')
  const cacheFolder = path.join(base, 'cache')
  let fresh: CompiledDataset
  let freshFiles: Record<string, string>

  beforeAll(async () => {
    cpSync(path.join(root, 'test/reference/variations'), path.join(base, 'docs'), {recursive: true})
    fresh = await compileDataset({inputs: ['docs'], cwd: base})
    expect((await cli(['build', 'docs', '--out', 'fresh', '--no-cache'])).code).toBe(0)
    freshFiles = folderFiles('fresh')
    expect((await cli(['build', 'docs', '--out', 'data', '--cache-dir', 'cache'])).code).toBe(0)
  })

  async function cli(argv: string[]): Promise<{code: number; stderr: string}> {
    let stderr = ''
    const code = await main(argv, {stdout: () => {}, stderr: (text) => (stderr += text), cwd: base})
    return {code, stderr}
  }

  function folderFiles(folder: string): Record<string, string> {
    const names = readdirSync(path.join(base, folder), {recursive: true, withFileTypes: true}).filter((entry) => entry.isFile())
    return Object.fromEntries(names.map((entry) => [path.relative(path.join(base, folder), path.join(entry.parentPath, entry.name)), readFileSync(path.join(entry.parentPath, entry.name), 'utf8')]))
  }

  /** The damaged entry is ignored, the file compiled again, its entry written whole, and the dataset is that of a build without the cache: from `build`, and from the CLI rebuilding a folder it wrote (records held lean, bodies read back from the cache). */
  async function expectRebuilt(which: (value: Json) => boolean, damage: Damage): Promise<void> {
    const original = damageEntry(cacheFolder, which, damage)
    const result = await compileDataset({inputs: ['docs'], cwd: base, cache: new Cache(cacheFolder)})
    expect(result.stats).toEqual({parsed: 1, cached: 6, threads: 1})
    expect(result.dataset).toEqual(fresh.dataset)
    expect(result.messages.map(String)).toEqual(fresh.messages.map(String))
    expect(entries(cacheFolder).filter(({value}) => which(value)).map(({file}) => readFileSync(file, 'utf8'))).toEqual([original])

    damageEntry(cacheFolder, which, damage)
    writeFileSync(path.join(base, 'data/roles.json'), '[]\n')
    const rebuilt = await cli(['build', 'docs', '--out', 'data', '--cache-dir', 'cache'])
    expect(rebuilt.stderr).not.toContain('internal failure')
    expect(rebuilt.code, rebuilt.stderr).toBe(0)
    expect(folderFiles('data')).toEqual(freshFiles)
  }

  for (const [name, damage] of Object.entries(roleDamage)) {
    it(`ignores a role's entry with ${name}`, async () => {
      await expectRebuilt(role, damage)
    })
  }
  for (const [name, which, damage] of otherDamage) {
    it(`ignores ${name}`, async () => {
      await expectRebuilt(which, damage)
    })
  }
})

describe('an output folder’s cache entries with wrong contents', () => {
  const base = path.join(work, 'output')
  const isManifest = (value: Json): boolean => 'datasetKey' in value
  const isList = (value: Json): boolean => 'files' in value && 'keys' in value

  async function cli(argv: string[]): Promise<{code: number; stderr: string}> {
    let stderr = ''
    const code = await main(argv, {stdout: () => {}, stderr: (text) => (stderr += text), cwd: base})
    return {code, stderr}
  }

  beforeAll(async () => {
    cpSync(path.join(root, 'test/reference/variations'), path.join(base, 'docs'), {recursive: true})
    expect((await cli(['build', 'docs', '--out', 'fresh', '--no-cache'])).code).toBe(0)
    expect((await cli(['build', 'docs', '--out', 'data', '--cache-dir', 'cache'])).code).toBe(0)
  })

  // The manifest is read to tell whether the folder is up to date: the folder is left as it is.
  const manifestCases: Array<[name: string, damage: Damage]> = [
    ['messages that are not messages', (value) => ({...value, messages: [{file: 'docs/x.md', messages: 'no'}]})],
    ['a message of no rule', (value) => ({...value, messages: [{file: 'docs/x.md', messages: [{reason: 'x'}]}]})],
    ['summary counts that are not numbers', (value) => ({...value, summary: {...(value['summary'] as Json), roles: 'x'}})],
    ['a summary that lacks a count', (value) => ({...value, summary: {...(value['summary'] as Json), roles: undefined}})]
  ]
  for (const [name, damage] of manifestCases) {
    it(`ignores a manifest with ${name}: the folder is not taken as up to date, and is written again`, async () => {
      damageEntry(path.join(base, 'cache'), isManifest, damage)
      const result = await cli(['build', 'docs', '--out', 'data', '--cache-dir', 'cache'])
      expect(result.stderr).not.toContain('internal failure')
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).toContain('roledoc: 7 files read: 5 roles, 1 fragment, 1 reference page\n')
      expect(result.stderr).toContain('roledoc: wrote 19 files to data\n')
      expect(result.stderr).not.toContain('up to date')
    })
  }

  // The list of written files is read when the folder is not up to date (an output file changed).
  const cases: Array<[name: string, which: (value: Json) => boolean, damage: Damage]> = [
    ['a list of written files with a part before the start of its file', isList, (value) => ({...value, files: (value['files'] as unknown[][]).map((file) => (file[4] ? [...file.slice(0, 4), [(file[4] as number[])[0], -100, 5, ...(file[4] as number[]).slice(3)]] : file))})],
    ['a list of written files with a part past the end of its file', isList, (value) => ({...value, files: (value['files'] as unknown[][]).map((file) => (file[4] ? [...file.slice(0, 4), [(file[4] as number[])[0], 0, 1e9, ...(file[4] as number[]).slice(3)]] : file))})],
    ['a list of written files with a negative size', isList, (value) => ({...value, files: (value['files'] as unknown[][]).map((file) => [file[0], -1, ...file.slice(2)])})]
  ]
  for (const [name, which, damage] of cases) {
    it(`ignores ${name}: the folder is written again, as a build without the cache writes it`, async () => {
      damageEntry(path.join(base, 'cache'), which, damage)
      // A changed output file, so that the list of written files is read.
      writeFileSync(path.join(base, 'data/roles.json'), '[]\n')
      const result = await cli(['build', 'docs', '--out', 'data', '--cache-dir', 'cache'])
      expect(result.stderr).not.toContain('internal failure')
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).toContain('roledoc: 7 files read: 5 roles, 1 fragment, 1 reference page\n')
      expect(result.stderr).toContain('roledoc: wrote 19 files to data\n')
      for (const name of ['roles.json', 'roles.ndjson', 'actions.csv', 'actions.json', 'index.json']) {
        expect(readFileSync(path.join(base, 'data', name), 'utf8'), name).toBe(readFileSync(path.join(base, 'fresh', name), 'utf8'))
      }
    })
  }
})

describe('the guards', () => {
  it('accept every entry of the real reference folder, whose records the schemas accept, and check each against its file', async () => {
    const folder = path.join(work, 'real-cache')
    await compileDataset({inputs: [reference], cwd: root, cache: new Cache(folder)})
    const compiled = entries(folder).map(({value}) => value as unknown as SerializedCompiled)
    expect(compiled.length).toBe(142)
    for (const entry of compiled) {
      const source = entry.record?.source ?? entry.reference?.source
      expect(source).toBeDefined()
      if (!source) continue
      expect(compiledEntryFor(source)(entry), source.path).toBe(true)
      if (entry.record) expect(recordErrors(entry.record), source.path).toBe('')
      for (const section of entry.reference?.sections ?? []) if (section.role) expect(recordErrors(section.role)).toBe('')
      // The same entry is not one for another file, or for other bytes.
      expect(compiledEntryFor({path: `x/${source.path}`, sha256: source.sha256})(entry)).toBe(false)
      expect(compiledEntryFor({path: source.path, sha256: 'f'.repeat(64)})(entry)).toBe(false)
    }
  })

  it('refuse each damage that the schema refuses too (the damage is to the schema, not only to the guard)', async () => {
    const folder = path.join(work, 'schema-cache')
    await compileDataset({inputs: ['test/reference/variations'], cwd: root, cache: new Cache(folder)})
    const entry = entries(folder).find(({value}) => role(value))?.value as Json
    const source = record(entry)['source'] as {path: string; sha256: string}
    const schemaRefuses = ['a record without permissions', 'permissions: "x"', 'a permission without its action', 'an action that is not one', 'a permission at line 0', 'a key the schema does not have', 'a template ID that is not a GUID', 'privileged: "yes"', 'front matter that is a list']
    for (const [name, damage] of Object.entries(roleDamage)) {
      const damaged = JSON.parse(JSON.stringify(damage(structuredClone(entry)))) as Json
      expect(compiledEntryFor(source)(damaged), name).toBe(false)
      if (schemaRefuses.includes(name)) expect(recordErrors(damaged['record']), name).not.toBe('')
    }
  })
})
