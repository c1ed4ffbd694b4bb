/**
 * Workers and the cache never change the output: the same bytes for any
 * worker count, cold or warm cache, and a broken cache is ignored.
 */
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it, vi} from 'vitest'
import {formatMessage} from '../src/index.js'
import {codeFingerprint} from '../src/driver/incremental/cache.js'
import {main} from '../src/cli/index.js'
import {reference, root} from './helpers/paths.js'
import {compileDataset, type CompiledDataset} from '../src/driver/build.js'
import {ChangedDuringRun, UsageError} from '../src/driver/errors.js'
import {Cache} from '../src/driver/incremental/cache.js'
import {previousOutput, rememberOutput, type WrittenFile, type WrittenPart} from '../src/driver/incremental/written.js'
import {writeDataset} from '../src/driver/write.js'

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-cache-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

const printed = (result: CompiledDataset): string[] => result.messages.map((message) => formatMessage(message))

function cacheFiles(folder: string): string[] {
  return readdirSync(folder, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
}

describe('the real reference folder', () => {
  let baseline: CompiledDataset

  it('gives the same bytes and messages by default, on 1 and 2 worker threads, and with a cold and a warm cache', async () => {
    // 142 files: one worker thread compiles them, unless `threadsFrom` says otherwise.
    baseline = await compileDataset({inputs: [reference], cwd: root, workers: 2})
    const oneThread = await compileDataset({inputs: [reference], cwd: root, workers: 1, threadsFrom: 1})
    const twoThreads = await compileDataset({inputs: [reference], cwd: root, workers: 2, threadsFrom: 1})
    const cache = new Cache(path.join(work, 'cache'))
    const cold = await compileDataset({inputs: [reference], cwd: root, workers: 2, threadsFrom: 1, cache})
    const warm = await compileDataset({inputs: [reference], cwd: root, workers: 2, threadsFrom: 1, cache})
    expect([baseline, oneThread, twoThreads, cold, warm].map((result) => result.stats)).toEqual([
      {parsed: 142, cached: 0, threads: 1},
      {parsed: 142, cached: 0, threads: 1},
      {parsed: 142, cached: 0, threads: 2},
      {parsed: 142, cached: 0, threads: 2},
      {parsed: 0, cached: 142, threads: 0}
    ])
    for (const result of [oneThread, twoThreads, cold, warm]) {
      expect(result.dataset).toEqual(baseline.dataset)
      expect(printed(result)).toEqual(printed(baseline))
      expect(result.summary).toEqual(baseline.summary)
    }
    expect(cacheFiles(path.join(work, 'cache')).length).toBeGreaterThanOrEqual(140)
  })

  it('writes, one file at a time and big ones in chunks, exactly the text of the dataset', async () => {
    const out = path.join(work, 'streamed')
    const written = await writeDataset(out, baseline.files, root)
    // And the manifest, last.
    expect(written.map((file) => file.name)).toEqual([...baseline.dataset.keys(), 'manifest.json'])
    for (const [name, text] of baseline.dataset) {
      expect(readFileSync(path.join(out, name), 'utf8'), name).toBe(text)
      expect(written.find((file) => file.name === name)?.size).toBe(Buffer.byteLength(text))
    }
    // The files made from every record come as generators, a chunk per
    // record (and, in roles.json, one for each comma between), so the whole
    // text is never in memory (an array of every record's line once was).
    const roles = baseline.records.filter((record) => record.kind === 'role').length
    const fragments = baseline.records.length - roles
    expect(fragments).toBeGreaterThan(0)
    for (const [name, chunks] of [['roles.json', 2 * roles + 1], ['fragments.json', 2 * fragments + 1], ['roles.ndjson', roles], ['actions.csv', roles + 1]] as const) {
      const content = baseline.files.find((file) => file.name === name)?.content()
      expect(typeof content === 'object' && !Array.isArray(content) && Symbol.iterator in content, name).toBe(true)
      expect([...(content as Iterable<string>)].length, name).toBe(chunks)
    }
    // More chunks and bytes than one write takes, with characters of 1 to 4
    // bytes, and one chunk too big to gather with the others.
    const chunks = Array.from({length: 3000}, (_, index) => `${index} é ’ 😀 ${'x'.repeat(index % 997)}\n`)
    chunks.splice(1500, 0, `${'é'.repeat(200_000)}\n`)
    await writeDataset(out, [{name: 'index.json', content: () => '{}\n'}, {name: 'big.txt', content: () => chunks}], root)
    expect(readFileSync(path.join(out, 'big.txt'), 'utf8')).toBe(chunks.join(''))
  })

  it('ignores cache entries that are garbage, cut short, foreign or misshapen, and rebuilds them', async () => {
    const folder = path.join(work, 'cache')
    const files = cacheFiles(folder)
    for (const [index, file] of files.entries()) {
      const text = readFileSync(file, 'utf8')
      const entry = JSON.parse(text) as {key: string; value: unknown}
      const damage = [
        () => writeFileSync(file, Buffer.from([0xff, 0x00, 0x7b, 0x22])),
        () => writeFileSync(file, text.slice(0, Math.floor(text.length / 2))),
        () => writeFileSync(file, JSON.stringify({format: 'someone-else/9', key: entry.key, value: entry.value})),
        () => writeFileSync(file, JSON.stringify({format: 'roledoc-cache/1', key: entry.key, value: {kind: 'role', messages: 'no'}})),
        () => writeFileSync(file, JSON.stringify({format: 'roledoc-cache/1', key: 'another key', value: entry.value})),
        () => writeFileSync(file, '')
      ]
      damage[index % damage.length]?.()
    }
    const rebuilt = await compileDataset({inputs: [reference], cwd: root, workers: 1, cache: new Cache(folder)})
    expect(rebuilt.dataset).toEqual(baseline.dataset)
    expect(printed(rebuilt)).toEqual(printed(baseline))
    // The damaged entries were written again, whole.
    for (const file of cacheFiles(folder)) expect(() => JSON.parse(readFileSync(file, 'utf8'))).not.toThrow()
  })
})

describe('a rebuild into a folder that roledoc wrote (`reuse`)', () => {
  // Records from the cache are then held without their bodies, which are
  // read back from the cache only when a file is made from them.
  it('gives the same records, dataset, messages and summary as a build without the cache', async () => {
    const base = path.join(work, 'lean')
    const cache = new Cache(path.join(base, 'cache'))
    const plain = await compileDataset({inputs: [reference], cwd: root})
    const first = await compileDataset({inputs: [reference], cwd: root, cache, reuse: path.join(base, 'out')})
    await rememberOutput(cache, path.join(base, 'out'), first, await writeDataset(path.join(base, 'out'), first.files, root))
    // An output file changed by hand: the folder is not up to date, so this builds, from the cache.
    writeFileSync(path.join(base, 'out/roles.json'), '[]\n')
    const lean = await compileDataset({inputs: [reference], cwd: root, cache, reuse: path.join(base, 'out')})
    expect(lean.upToDate).toBeUndefined()
    expect(lean.stats).toEqual({parsed: 0, cached: 142, threads: 0})
    expect(lean.summary).toEqual(plain.summary)
    expect(printed(lean)).toEqual(printed(plain))
    // Reported by assembly on files from the cache that have no messages of their own.
    expect(printed(lean).filter((line) => line.endsWith('unreferenced-include')).length).toBeGreaterThan(10)
    // Whole records for a caller that asks, and whole files, made from bodies read back from the cache.
    const reads = vi.spyOn(cache, 'getSync')
    expect(lean.records).toEqual(plain.records)
    expect(reads.mock.calls.length).toBeGreaterThan(100)
    expect(lean.records.some((record) => record.kind === 'role' && record.permissions.length > 0)).toBe(true)
    expect(lean.dataset).toEqual(plain.dataset)
  })

  it('reports what assembly finds on files from the cache exactly as a build without the cache does', async () => {
    // Badges, template IDs and includes that disagree: messages that name role files compiled without messages of their own.
    const base = path.join(work, 'lean-conflicts')
    const cache = new Cache(path.join(base, 'cache'))
    const out = path.join(base, 'out')
    const plain = await compileDataset({inputs: ['test/reference/conflicts'], cwd: root})
    const first = await compileDataset({inputs: ['test/reference/conflicts'], cwd: root, cache, reuse: out})
    await rememberOutput(cache, out, first, await writeDataset(out, first.files, root))
    writeFileSync(path.join(out, 'roles.json'), '[]\n')
    const lean = await compileDataset({inputs: ['test/reference/conflicts'], cwd: root, cache, reuse: out})
    expect(lean.stats.parsed).toBe(0)
    expect(printed(lean)).toEqual(printed(plain))
    expect(printed(lean).filter((line) => line.endsWith('mismatch'))).toHaveLength(2)
    expect(lean.dataset).toEqual(plain.dataset)
  })

  it('stops with a clear error, and leaves the folder as it was, when a cache entry goes away during the build', async () => {
    const base = path.join(work, 'lean-gone')
    const cache = new Cache(path.join(base, 'cache'))
    const out = path.join(base, 'out')
    const first = await compileDataset({inputs: [reference], cwd: root, cache, reuse: out})
    await rememberOutput(cache, out, first, await writeDataset(out, first.files, root))
    writeFileSync(path.join(out, 'roles.json'), '[]\n')
    const lean = await compileDataset({inputs: [reference], cwd: root, cache, reuse: out})
    for (const file of cacheFiles(path.join(base, 'cache'))) rmSync(file)
    const failure = writeDataset(out, lean.files, root)
    await expect(failure).rejects.toThrow(/^The cache entry for includes\/[\w-]+\.md changed or went away during the build \(in .*\); run again$/)
    // A change under the run, not a usage error: exit 2 without "Try `roledoc build --help`".
    await expect(failure).rejects.toBeInstanceOf(ChangedDuringRun)
    await expect(failure).rejects.not.toBeInstanceOf(UsageError)
    expect(readFileSync(path.join(out, 'roles.json'), 'utf8')).toBe('[]\n')
    expect(readdirSync(base).sort()).toEqual(['cache', 'out'])
  })
})

describe('the CLI', () => {
  async function run(argv: string[], cwd: string): Promise<{code: number; stderr: string}> {
    let stderr = ''
    const code = await main(argv, {stdout: () => {}, stderr: (text) => (stderr += text), cwd})
    return {code, stderr}
  }

  it('caches under node_modules/.cache/roledoc in a Node project by default, and skips an output folder that is up to date', async () => {
    const base = path.join(work, 'cli')
    cpSync(path.join(root, 'fixtures'), path.join(base, 'docs'), {recursive: true})
    writeFileSync(path.join(base, 'package.json'), '{"name": "docs"}\n')
    expect((await run(['build', 'docs', '--out', 'data'], base)).code).toBe(0)
    expect(existsSync(path.join(base, 'node_modules/.cache/roledoc'))).toBe(true)
    const before = readFileSync(path.join(base, 'data/roles.json'), 'utf8')

    const again = await run(['build', 'docs', '--out', 'data'], base)
    expect(again.code).toBe(0)
    expect(again.stderr).toContain('roledoc: data is up to date\n')
    expect(again.stderr).toContain('roledoc: 2 files read: 2 roles')
    expect(readFileSync(path.join(base, 'data/roles.json'), 'utf8')).toBe(before)

    // An output file changed by hand is not up to date: it is written again.
    writeFileSync(path.join(base, 'data/roles.json'), '[]\n')
    const repaired = await run(['build', 'docs', '--out', 'data'], base)
    expect(repaired.stderr).toContain('wrote 11 files to data')
    expect(readFileSync(path.join(base, 'data/roles.json'), 'utf8')).toBe(before)

    // A file added is not roledoc's: the folder is not replaced until it is moved out.
    writeFileSync(path.join(base, 'data/roles/extra.json'), '{}\n')
    const refused = await run(['build', 'docs', '--out', 'data'], base)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('roledoc: Output folder data holds files that roledoc did not write there (roles/extra.json; not in its manifest.json)')
    expect(readFileSync(path.join(base, 'data/roles/extra.json'), 'utf8')).toBe('{}\n')
    rmSync(path.join(base, 'data/roles/extra.json'))
    // A file removed comes back.
    rmSync(path.join(base, 'data/roles/edge-case-role.yaml'))
    expect((await run(['build', 'docs', '--out', 'data'], base)).stderr).toContain('wrote 11 files to data')
    expect(existsSync(path.join(base, 'data/roles/edge-case-role.yaml'))).toBe(true)
    expect((await run(['build', 'docs', '--out', 'data'], base)).stderr).toContain('roledoc: data is up to date\n')

    // A changed input is compiled again. The files of the role that did not
    // change are kept (hard links to the very files written before, so the
    // same inode); the changed role's are made anew.
    const inode = (name: string) => statSync(path.join(base, 'data', name)).ino
    const kept = {json: inode('roles/edge-case-role.json'), yaml: inode('roles/edge-case-role.yaml'), changed: inode('roles/partner-tier1-support.json')}
    const file = path.join(base, 'docs/partner-tier1-support.md')
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: Partner Tier1 Support', 'title: Partner Tier One'))
    const changed = await run(['build', 'docs', '--out', 'data'], base)
    expect(changed.stderr).toContain('wrote 11 files to data')
    expect(readFileSync(path.join(base, 'data/roles/partner-tier1-support.json'), 'utf8')).toContain('"name": "Partner Tier One"')
    expect({json: inode('roles/edge-case-role.json'), yaml: inode('roles/edge-case-role.yaml')}).toEqual({json: kept.json, yaml: kept.yaml})
    expect(inode('roles/partner-tier1-support.json')).not.toBe(kept.changed)

    // A kept file that was edited by hand is made again, not kept.
    const edgeCase = path.join(base, 'data/roles/edge-case-role.yaml')
    const original = readFileSync(edgeCase, 'utf8')
    writeFileSync(edgeCase, original.replace('schemaVersion: 1', 'schemaVersion: 2'))
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: Partner Tier One', 'title: Partner Tier Two'))
    expect((await run(['build', 'docs', '--out', 'data'], base)).code).toBe(0)
    expect(readFileSync(edgeCase, 'utf8')).toBe(original)
    expect(inode('roles/edge-case-role.json')).toBe(kept.json)
  })

  it('keys the inputs alike in the up-to-date check and in the build after it, for one input or several', async () => {
    // The check reads each input as it walks and keeps only its key; a build
    // that goes on uses those keys. Were the dataset key it stores made any
    // other way, the next run would never find the folder up to date.
    const base = path.join(work, 'keys')
    // Walked, `roles/…` comes before `roles-top.md`; in path order after it.
    cpSync(path.join(root, 'fixtures'), path.join(base, 'docs/roles'), {recursive: true})
    cpSync(path.join(root, 'fixtures/edge-case-role.md'), path.join(base, 'docs/roles-top.md'))
    writeFileSync(path.join(base, 'elsewhere.md'), '# not read\n')
    symlinkSync(path.join(base, 'elsewhere.md'), path.join(base, 'docs/outside.md'))
    const buildIn = async (...inputs: string[]) => (await run(['build', ...inputs, '--out', 'data'], base)).stderr
    const file = path.join(base, 'docs/roles/partner-tier1-support.md')
    const edit = (title: string) => writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, `title: ${title}`))

    expect(await buildIn('docs')).toContain('wrote 13 files to data')
    expect(await buildIn('docs')).toContain('roledoc: data is up to date\n')
    edit('First edit')
    expect(await buildIn('docs')).toContain('wrote 13 files to data')
    expect(await buildIn('docs')).toContain('roledoc: data is up to date\n')
    expect(readFileSync(path.join(base, 'data/roles/partner-tier1-support.json'), 'utf8')).toContain('"title": "First edit"')

    // Two inputs (one file reached twice) are keyed without the check's walk.
    expect(await buildIn('docs', 'docs/roles-top.md')).toContain('wrote 13 files to data')
    expect(await buildIn('docs', 'docs/roles-top.md')).toContain('roledoc: data is up to date\n')
    edit('Second edit')
    expect(await buildIn('docs', 'docs/roles-top.md')).toContain('wrote 13 files to data')
    expect(await buildIn('docs', 'docs/roles-top.md')).toContain('roledoc: data is up to date\n')
    // The same files from one input are another dataset (index.json lists the inputs): written again.
    expect(await buildIn('docs')).toContain('wrote 13 files to data')
  })

  it('copies the parts of unchanged records from the combined files written before, byte for byte', async () => {
    const base = path.join(work, 'parts')
    const seed = readFileSync(path.join(root, 'fixtures/partner-tier1-support.md'), 'utf8')
    const title = (name: string) => seed.replace('title: Partner Tier1 Support', `title: ${name}`)
    for (const name of ['alpha', 'bravo', 'charlie']) {
      mkdirSync(path.join(base, 'docs'), {recursive: true})
      writeFileSync(path.join(base, `docs/${name}.md`), title(name))
    }
    // A Node project: the cache is in its node_modules (read below).
    writeFileSync(path.join(base, 'package.json'), '{"name": "docs"}\n')
    const combined = ['roles.json', 'roles.ndjson', 'actions.csv']
    const fresh = async (): Promise<string[]> => {
      rmSync(path.join(base, 'fresh'), {recursive: true, force: true})
      expect((await run(['build', 'docs', '--out', 'fresh', '--no-cache'], base)).code).toBe(0)
      return combined.map((name) => readFileSync(path.join(base, 'fresh', name), 'utf8'))
    }
    const data = (): string[] => combined.map((name) => readFileSync(path.join(base, 'data', name), 'utf8'))
    expect((await run(['build', 'docs', '--out', 'data'], base)).code).toBe(0)

    // The middle record changes (a part made between two copied), then the first grows (the copies move).
    for (const [file, name] of [['bravo', 'Bravo, changed'], ['alpha', 'Alpha, now with a much longer name']]) {
      writeFileSync(path.join(base, `docs/${file}.md`), title(name as string))
      expect((await run(['build', 'docs', '--out', 'data'], base)).stderr).toContain('wrote 13 files to data')
      expect(data()).toEqual(await fresh())
    }

    // What the cache keeps of each part: its record's key, and where its bytes lie.
    const cache = new Cache(path.join(base, 'node_modules/.cache/roledoc'))
    const ndjsonParts = async (): Promise<Array<[string, number, number]>> => {
      const parts = (await previousOutput(cache, 'data', base)).get('roles.ndjson')?.parts ?? []
      return parts.map((part): [string, number, number] => [part.recordKey, part.offset, part.length])
    }
    const bytes = readFileSync(path.join(base, 'data/roles.ndjson'))
    const lines = bytes.toString('utf8').split(/(?<=\n)/)
    const parts = await ndjsonParts()
    expect(parts.length).toBe(3)
    // A file asked for again, or out of the order written, is the same; one never written is not there.
    const list = await previousOutput(cache, 'data', base)
    const ndjson = structuredClone(list.get('roles.ndjson'))
    expect(ndjson?.parts?.map((part) => [part.recordKey, part.offset, part.length])).toEqual(parts)
    expect(list.get('index.json')?.name).toBe('index.json')
    expect(list.get('roles.ndjson')).toEqual(ndjson)
    expect(list.get('roles/nobody.json')).toBeUndefined()
    for (const [index, line] of lines.entries()) {
      const [key, offset, length] = parts[index] as [string, number, number]
      expect(bytes.subarray(offset, offset + length).toString('utf8')).toBe(line)
      expect(key).toMatch(/^[\w-]{22}$/)
    }
    expect(new Set(parts.map(([key]) => key)).size).toBe(3)
    // The cache writes each key once, however many files name it (a record's two files and three parts).
    const listFile = cacheFiles(cache.folder).find((file) => readFileSync(file, 'utf8').includes('"files":[["index.json"'))
    expect(listFile).toBeDefined()
    const listText = readFileSync(listFile as string, 'utf8')
    for (const [key] of parts) expect(listText.split(key).length - 1).toBe(1)
    const stored = JSON.parse(listText) as {value: {keys: string[]; files: unknown[][]}}
    expect(stored.value.keys).toHaveLength(3)
    expect(stored.value.files.find(([name]) => name === 'roles/alpha.json')?.[3]).toBe(stored.value.keys.indexOf(parts[0]?.[0] as string))
    // A list that names a key it does not hold is not used.
    const broken = structuredClone(stored)
    ;(broken.value.files.find(([name]) => name === 'roles/alpha.json') as unknown[])[3] = 3
    writeFileSync(listFile as string, JSON.stringify(broken))
    const unused = await previousOutput(cache, 'data', base)
    for (const name of ['index.json', 'roles.ndjson', 'roles/alpha.json']) expect(unused.get(name)).toBeUndefined()
    writeFileSync(listFile as string, listText)
    // A record's key stays while its file does not change, and changes with it.
    writeFileSync(path.join(base, 'docs/charlie.md'), title('Charlie, changed'))
    expect((await run(['build', 'docs', '--out', 'data'], base)).code).toBe(0)
    const after = await ndjsonParts()
    expect(after.map(([key]) => key).slice(0, 2)).toEqual(parts.map(([key]) => key).slice(0, 2))
    expect(after[2]?.[0]).not.toBe(parts[2]?.[0])
  })

  it('copies a record’s part from wherever the list of the file written before says it lies', async () => {
    const base = path.join(work, 'parts-anywhere')
    const seed = readFileSync(path.join(root, 'fixtures/partner-tier1-support.md'), 'utf8')
    mkdirSync(path.join(base, 'docs'), {recursive: true})
    for (const name of ['alpha', 'bravo', 'charlie']) writeFileSync(path.join(base, `docs/${name}.md`), seed.replace('title: Partner Tier1 Support', `title: ${name}`))
    const {files} = await compileDataset({inputs: ['docs'], cwd: base})
    const written = await writeDataset('out', files, base, {previous: []})
    const lines = readFileSync(path.join(base, 'out/roles.ndjson'), 'utf8').split(/(?<=\n)/)
    expect(lines.map((line) => (JSON.parse(line) as {id: string}).id)).toEqual(['alpha', 'bravo', 'charlie'])
    const ndjson = written.find((file) => file.name === 'roles.ndjson')?.parts ?? []
    const [alpha, bravo, charlie] = ndjson as [WrittenPart, WrittenPart, WrittenPart]
    // Listed in another order than the parts are made in, and with alpha's
    // key at bravo's bytes: what is copied shows where each part was found.
    const listed = [charlie, bravo, {...bravo, recordKey: alpha.recordKey}]
    const previous = written.map((file): WrittenFile => (file.name === 'roles.ndjson' ? {...file, parts: listed} : file))
    await writeDataset('out', files, base, {previous})
    expect(readFileSync(path.join(base, 'out/roles.ndjson'), 'utf8').split(/(?<=\n)/)).toEqual([lines[1], lines[1], lines[2]])
  })

  it('makes a record’s files again when only the reference page changes what is joined to it', async () => {
    // The role's own file is unchanged (its record comes from the cache), but
    // its name, description and template ID come from the page's roles table.
    const base = path.join(work, 'joined')
    cpSync(path.join(root, 'test/reference/variations'), path.join(base, 'docs'), {recursive: true})
    // A Node project: the cache is in its node_modules (shared below with `build`).
    writeFileSync(path.join(base, 'package.json'), '{"name": "docs"}\n')
    const page = path.join(base, 'docs/permissions-reference.md')
    const files = (folder: string): Record<string, string> =>
      Object.fromEntries(
        (readdirSync(path.join(base, folder), {recursive: true}) as string[])
          .filter((name) => name.includes('.'))
          .sort()
          .map((name) => [name, readFileSync(path.join(base, folder, name), 'utf8')])
      )
    const fresh = async (): Promise<Record<string, string>> => {
      rmSync(path.join(base, 'fresh'), {recursive: true, force: true})
      expect((await run(['build', 'docs', '--out', 'fresh', '--no-cache'], base)).code).toBe(0)
      return files('fresh')
    }
    expect((await run(['build', 'docs', '--out', 'data'], base)).code).toBe(0)
    for (const [from, to] of [
      ['| Read beta. |', '| Read all of beta. |'],
      ['[Gamma Operator](#gamma-operator)', '[Gamma Operations](#gamma-operator)'],
      ['33333333-3333-4333-8333-333333333333', '33333333-3333-4333-8333-333333333334']
    ] as const) {
      writeFileSync(page, readFileSync(page, 'utf8').replace(from, to))
      const {stats} = await compileDataset({inputs: ['docs'], cwd: base, cache: new Cache(path.join(base, 'node_modules/.cache/roledoc'))})
      expect(stats).toEqual({parsed: 1, cached: 6, threads: 1})
      expect((await run(['build', 'docs', '--out', 'data'], base)).stderr).toMatch(/wrote \d+ files to data/)
      expect(files('data')).toEqual(await fresh())
    }
    expect(readFileSync(path.join(base, 'data/roles/beta-reader.json'), 'utf8')).toContain('"description": "Read all of beta."')
    expect(readFileSync(path.join(base, 'data/roles/gamma-operator.yaml'), 'utf8')).toContain('name: Gamma Operations')
  })

  it('--no-cache reads and writes no cache; --cache-dir chooses the folder; --workers is checked', async () => {
    const base = path.join(work, 'nocache')
    cpSync(path.join(root, 'fixtures'), path.join(base, 'docs'), {recursive: true})
    expect((await run(['build', 'docs', '--out', 'data', '--no-cache'], base)).code).toBe(0)
    expect(existsSync(path.join(base, 'node_modules'))).toBe(false)
    expect((await run(['build', 'docs', '--out', 'data', '--cache-dir', 'my-cache', '--workers', '2'], base)).code).toBe(0)
    expect(readdirSync(path.join(base, 'my-cache')).length).toBeGreaterThan(0)
    const bad = await run(['build', 'docs', '--workers', '0'], base)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('Expected --workers as a whole number from 1 to 256')
  })

  it('removes what other roledoc code left in the cache folder, and nothing else', async () => {
    const base = path.join(work, 'prune')
    cpSync(path.join(root, 'fixtures'), path.join(base, 'docs'), {recursive: true})
    const cache = path.join(base, 'cache')
    const entry = `${'ab'.repeat(32)}.json`
    const put = (name: string, text = '{}') => {
      mkdirSync(path.dirname(path.join(cache, name)), {recursive: true})
      writeFileSync(path.join(cache, name), text)
    }
    // Left by other code: a folder of another fingerprint (an entry and a
    // temporary file), and an entry of the flat layout earlier code used.
    put(`roledoc-0123456789abcdef/ab/${entry}`)
    put(`roledoc-0123456789abcdef/ab/${entry}.123-0a1b2c3d.tmp`)
    put(`ab/${entry}`)
    // Not roledoc's, though beside its entries: kept.
    put('notes.txt', 'mine')
    put('cd/readme.txt', 'mine')
    put(`roledoc-other/ab/${entry}`)
    put(`roledoc-0123456789abcdef-backup/ab/${entry}`)

    expect((await run(['build', 'docs', '--out', 'data', '--cache-dir', 'cache'], base)).code).toBe(0)
    const current = `roledoc-${codeFingerprint().slice(0, 16)}`
    expect(readdirSync(cache).sort()).toEqual(['cd', 'notes.txt', current, 'roledoc-0123456789abcdef-backup', 'roledoc-other'].sort())
    expect(readdirSync(path.join(cache, 'cd'))).toEqual(['readme.txt'])
    expect(readdirSync(path.join(cache, 'roledoc-other/ab'))).toEqual([entry])
    // This build's entries (one per input, and the output's manifest) are in its own folder.
    expect(cacheFiles(path.join(cache, current)).length).toBeGreaterThanOrEqual(3)

    // The next build finds them: nothing is compiled or written.
    const again = await run(['build', 'docs', '--out', 'data', '--cache-dir', 'cache'], base)
    expect(again.stderr).toContain('roledoc: data is up to date\n')
  })
})
