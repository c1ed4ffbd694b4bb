/**
 * Writing while compiling (issue #26): `roledoc build` writes each
 * record's files into the new folder as soon as its file is compiled, as
 * assembly will most likely make the record (`compile/provisional.ts`),
 * and at the end keeps what was made from the record the dataset has and
 * makes the rest (`driver/write-ahead.ts`). The folder is still replaced
 * whole or not at all, with the same bytes (test/behaviour.test.ts pins
 * them for every build it runs).
 *
 * The children are told nothing: test/helpers/hooks.mjs, loaded with
 * `node --import`, says on stderr when a compile thread answers a file and
 * when the first file is opened in a temporary output folder. Nothing here
 * is timed: the slow file takes seconds to parse, against milliseconds for
 * the files compiled before it.
 */
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {VFile} from 'vfile'
import {afterAll, describe, expect, it} from 'vitest'
import {assemble, compileFile, type AssembleUnit, type DatasetRecord} from '../src/index.js'
import {ProvisionalRecords} from '../src/compile/provisional.js'
import {findInputs, type InputFile} from '../src/driver/inputs.js'
import {sameRecord} from '../src/driver/write-ahead.js'
import {fixtures, reference, root} from './helpers/paths.js'
import {folderBytes} from './helpers/folder.js'

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-write-ahead-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

const seed = readFileSync(path.join(fixtures, 'partner-tier1-support.md'), 'utf8')
/** A role of over 60 KB: the largest file, so the first compiled (largest first). */
const bigRole = seed + '\n<!-- ' + 'x'.repeat(60_000) + ' -->\n'
/** 40 KB that micromark parses in quadratic time: seconds, and far longer than a role. */
const slow = '['.repeat(20_000) + ']'.repeat(20_000)
const hooks = path.join(root, 'test/helpers/hooks.mjs')

/** `docs/` with `files`, and `out/` built from `docs/old.md` (a seed role). */
function project(name: string, files: Record<string, string>): string {
  const base = path.join(work, name)
  for (const [file, content] of Object.entries({'docs/old.md': seed, ...files})) {
    mkdirSync(path.dirname(path.join(base, file)), {recursive: true})
    writeFileSync(path.join(base, file), content)
  }
  return base
}

/** `roledoc build <args>` in `base` with the hooks loaded; the first file opened in a temporary folder is not held up. */
function spawnBuild(base: string, args: string[]) {
  const go = path.join(base, 'go')
  writeFileSync(go, '')
  const child = spawn(process.execPath, ['--import', hooks, path.join(root, 'dist/bin.js'), 'build', ...args, '--no-cache'], {cwd: base, env: {...process.env, ROLEDOC_HOOK_GO: go}})
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const waitFor = async (text: string): Promise<string> => {
    while (!stderr.includes(text)) {
      if (child.exitCode !== null) throw new Error(`the child exited (${child.exitCode}) before saying ${JSON.stringify(text)}:\n${stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    return stderr
  }
  return {child, exited, waitFor, stderr: () => stderr}
}

/** How many files the compile threads had answered when stderr said `text`. */
function answeredBefore(stderr: string, text: string): number {
  return stderr.slice(0, stderr.indexOf(text)).split('hook: compile worker answered a file').length - 1
}

async function build(base: string, args: string[]): Promise<void> {
  const run = spawnBuild(base, args)
  expect(await run.exited, run.stderr()).toBe(0)
}

describe('roledoc build', () => {
  it('writes a record’s files into the new folder while another file still compiles; a signal then removes them', {timeout: 120_000}, async () => {
    const base = project('signal', {'docs/big.md': bigRole, 'docs/slow.md': slow})
    await build(base, ['docs/old.md', '--out', 'out'])
    const before = folderBytes(path.join(base, 'out'))
    // A budget of ten minutes: only the signal stops this parse.
    const run = spawnBuild(base, ['docs', '--out', 'out', '--file-timeout', '600s'])
    try {
      const stderr = await run.waitFor('hook: writing')
      // The first file opened in the temporary folder: after the big role was answered, before the slow file was.
      expect(answeredBefore(stderr, 'hook: writing')).toBe(1)
      run.child.kill('SIGTERM')
      expect(await run.exited).toBe(143)
      expect(run.stderr()).toContain('roledoc: interrupted; nothing written\n')
      expect(answeredBefore(run.stderr(), 'roledoc: interrupted')).toBe(1)
      expect(folderBytes(path.join(base, 'out'))).toEqual(before)
      // No temporary folder, spool or lock left beside it.
      expect(readdirSync(base).sort()).toEqual(['docs', 'go', 'out'])
    } finally {
      run.child.kill('SIGKILL')
    }
  })

  it('removes what it wrote ahead when assembly then finds an error, and leaves the previous folder as it was', {timeout: 60_000}, async () => {
    // Two files give the id `role`: assembly reports duplicate-id once both are compiled.
    const base = project('late-error', {'docs/a/role.md': seed, 'docs/b/role.md': seed.replace('Partner Tier1 Support', 'Other')})
    await build(base, ['docs/old.md', '--out', 'out'])
    const before = folderBytes(path.join(base, 'out'))
    const run = spawnBuild(base, ['docs', '--out', 'out'])
    expect(await run.exited).toBe(1)
    // Written ahead: the first file opened in the temporary folder came after a file was compiled.
    expect(run.stderr()).toContain('hook: writing')
    expect(answeredBefore(run.stderr(), 'hook: writing')).toBeGreaterThanOrEqual(1)
    expect(run.stderr()).toContain('duplicate-id')
    expect(run.stderr()).toContain('roledoc: nothing written to out\n')
    expect(folderBytes(path.join(base, 'out'))).toEqual(before)
    expect(readdirSync(base).sort()).toEqual(['docs', 'go', 'out'])
  })

  it('writes the same bytes as the dataset assembled in memory, when the reference page is compiled after the files it joins', {timeout: 60_000}, async () => {
    // The page is the smallest file here, so the files it joins are compiled and written before it.
    const base = path.join(work, 'page-last')
    mkdirSync(path.join(base, 'docs/includes'), {recursive: true})
    for (const name of readdirSync(path.join(root, 'test/reference/variations/includes'))) {
      const text = readFileSync(path.join(root, 'test/reference/variations/includes', name), 'utf8')
      writeFileSync(path.join(base, 'docs/includes', name), text + '\n<!-- ' + 'x'.repeat(40_000) + ' -->\n')
    }
    writeFileSync(path.join(base, 'docs/permissions-reference.md'), readFileSync(path.join(root, 'test/reference/variations/permissions-reference.md')))
    await build(base, ['docs', '--out', 'out'])
    const expected = await inMemory(base)
    expect(Object.keys(expected.records).length).toBeGreaterThan(1)
    const written = folderBytes(path.join(base, 'out'))
    for (const [name, text] of Object.entries(expected.files)) expect(Buffer.from(written[name] ?? '', 'base64').toString('utf8'), name).toBe(text)
    // Joined: each role has the roles table's name, which its include file does not give.
    for (const record of Object.values(expected.records)) if (record.kind === 'role' && record.anchor !== null) expect(written[`roles/${record.id}.json`], record.id).toBeDefined()
  })
})

/** The dataset of `base/docs` as the API builds it in memory (nothing written ahead there). */
async function inMemory(base: string): Promise<{files: Record<string, string>; records: Record<string, DatasetRecord>}> {
  const {build} = await import('../src/index.js')
  const result = await build({inputs: ['docs'], cwd: base})
  return {files: Object.fromEntries(result.dataset), records: Object.fromEntries(result.records.map((record) => [record.id, record]))}
}

/** Compile every file of `folder` on this thread; and the inputs. */
async function compileFolder(folder: string): Promise<{units: AssembleUnit[]; inputs: InputFile[]}> {
  const inputs = await findInputs([folder], root)
  const units = inputs.map((input) => ({
    root: input.root,
    compiled: compileFile(new VFile({path: input.display, value: readFileSync(input.absolute)}), {sourcePath: input.sourcePath})
  }))
  return {units, inputs}
}

/** Feed the units of `inputs` to a `ProvisionalRecords` in `order`; every guess, by record id, in the order made. */
function guesses(inputs: readonly InputFile[], order: readonly AssembleUnit[]): Map<string, DatasetRecord[]> {
  const provisional = new ProvisionalRecords(inputs)
  const byId = new Map<string, DatasetRecord[]>()
  for (const unit of order) for (const guess of provisional.add(unit)) byId.set(guess.id, [...(byId.get(guess.id) ?? []), guess])
  return byId
}

const isPage = (unit: AssembleUnit): boolean => unit.compiled.reference !== null

describe('the records guessed while compiling', () => {
  const folders = [reference, ...['variations', 'conflicts', 'inline-include', 'unmarked'].map((name) => path.join(root, 'test/reference', name))]

  it.each(folders.map((folder) => [path.relative(root, folder), folder]))('are the records assembled, when reference pages come first (%s)', async (_, folder) => {
    const {units, inputs} = await compileFolder(folder)
    const byId = guesses(inputs, [...units.filter(isPage), ...units.filter((unit) => !isPage(unit))])
    const assembled = assemble(units)
    expect(assembled.length).toBeGreaterThan(0)
    for (const record of assembled) {
      const made = byId.get(record.id) ?? []
      // One guess per record: none made again.
      expect(made.length, record.id).toBe(1)
      expect(sameRecord(made[0] as DatasetRecord, record), record.id).toBe(true)
    }
  })

  it('are guessed again when a reference page comes after the files it joins, and then are the records assembled', async () => {
    const {units, inputs} = await compileFolder(reference)
    const byId = guesses(inputs, [...units.filter((unit) => !isPage(unit)), ...units.filter(isPage)])
    const assembled = assemble(units)
    let joined = 0
    for (const record of assembled) {
      const made = byId.get(record.id) ?? []
      expect(sameRecord(made.at(-1) as DatasetRecord, record), record.id).toBe(true)
      if (made.length === 2) {
        joined++
        // The first guess, before the page: no anchor and no roles table name.
        expect(made[0]?.kind === 'role' && made[0].anchor, record.id).toBe(null)
        expect(sameRecord(made[0] as DatasetRecord, record), record.id).toBe(false)
      }
    }
    expect(joined).toBeGreaterThan(100)
  })

  it('tell a record apart from an equal one of another file, and from one whose JSON differs in any key or its order', () => {
    const units = [{root: 'docs', compiled: compileFile(new VFile({path: 'docs/role.md', value: seed}), {sourcePath: 'role.md'})}]
    const record = units[0]?.compiled.record as DatasetRecord
    const copy = structuredClone(record)
    expect(sameRecord(record, {...record})).toBe(true)
    expect(sameRecord(copy, {...copy, source: copy.source})).toBe(true)
    // Equal JSON, another file.
    expect(sameRecord(record, copy)).toBe(false)
    expect(sameRecord(record, {...record, name: 'Other'})).toBe(false)
    const {schemaVersion, ...rest} = record
    expect(sameRecord(record, {...rest, schemaVersion} as DatasetRecord)).toBe(false)
    const include = {path: 'other.md', target: 'other.md', resolved: false, position: {line: 1, column: 1}}
    expect(sameRecord(record, {...record, includes: [...record.includes, include]})).toBe(false)
    expect(sameRecord(record, {...record, includes: [...record.includes]})).toBe(true)
  })
})
