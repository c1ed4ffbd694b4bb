/**
 * The output folder: what may be replaced (issue #23.1), a swap that a
 * kill cut in two (#23.2), and the lock that makes builds take turns
 * (#23.6). Each case is a folder made on disk in the state to test.
 */
import {spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {main} from '../src/cli/index.js'
import {build} from '../src/index.js'
import {fixtures} from './helpers/paths.js'
import {writeDataset} from '../src/driver/write.js'

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-output-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

const seed = readFileSync(path.join(fixtures, 'partner-tier1-support.md'), 'utf8')

async function run(argv: string[], cwd: string): Promise<{code: number; stdout: string; stderr: string}> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, {stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd})
  return {code, stdout, stderr}
}

function folder(name: string, files: Record<string, string>): string {
  const base = path.join(work, name)
  mkdirSync(base, {recursive: true})
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(base, file)), {recursive: true})
    writeFileSync(path.join(base, file), content)
  }
  return base
}

/** Every file under `base` (posix paths) with its text. */
function snapshot(base: string): Record<string, string> {
  const result: Record<string, string> = {}
  for (const name of (readdirSync(base, {recursive: true}) as string[]).sort()) {
    const full = path.join(base, name)
    if (statSync(full).isFile()) result[name.split(path.sep).join('/')] = readFileSync(full, 'utf8')
  }
  return result
}

describe('the output guard (#23.1)', () => {
  it('refuses `--out .` in a folder that holds an index.json of its own, and deletes nothing (exit 2)', async () => {
    // The inputs in it: refused before any work.
    const base = folder('dot', {'docs/role.md': seed, 'index.json': '{}'})
    const before = snapshot(base)
    const result = await run(['build', 'docs', '--out', '.', '--no-cache'], base)
    expect(result.code).toBe(2)
    expect(result.stderr).toBe('roledoc: Output folder . holds the input docs; roledoc replaces its output folder whole, so choose an --out outside the inputs\nTry `roledoc build --help`.\n')
    expect(snapshot(base)).toEqual(before)
    // The inputs elsewhere: refused by what the folder holds.
    const site = folder('dot-site', {'index.json': '{}', 'notes.txt': 'mine'})
    const elsewhere = await run(['build', '../dot/docs', '--out', '.', '--no-cache'], site)
    expect(elsewhere.code).toBe(2)
    expect(elsewhere.stderr).toContain(
      'roledoc: Output folder . is not empty and holds no dataset that roledoc wrote (no manifest.json by roledoc; found index.json, notes.txt). ' +
        'roledoc replaces its output folder whole, so it writes only to an empty or new folder, or one it wrote; choose another --out\n'
    )
    expect(elsewhere.stderr).not.toMatch(/wrote \d+ files/)
    expect(snapshot(site)).toEqual({'index.json': '{}', 'notes.txt': 'mine'})
  })

  it('refuses to replace the folder that holds the inputs in a roles/ subfolder (exit 2)', async () => {
    const base = folder('roles-inside', {'mydocs/roles/role.md': seed})
    const result = await run(['build', 'mydocs', '--out', 'mydocs', '--no-cache'], base)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('roledoc: Output folder mydocs is the input mydocs; roledoc replaces its output folder whole, so choose an --out outside the inputs')
    // Given as files, the same.
    const files = await run(['build', 'mydocs/roles/role.md', '--out', 'mydocs', '--no-cache'], base)
    expect(files.code).toBe(2)
    expect(files.stderr).toContain('roledoc: Output folder mydocs holds the input mydocs/roles/role.md;')
    expect(snapshot(base)).toEqual({'mydocs/roles/role.md': seed})
    // A folder that holds only a roles/ subfolder of someone else's is no dataset either.
    const other = folder('roles-only', {'docs/role.md': seed, 'mine/roles/notes.md': 'mine'})
    const refused = await run(['build', 'docs', '--out', 'mine', '--no-cache'], other)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('roledoc: Output folder mine is not empty and holds no dataset that roledoc wrote (no manifest.json by roledoc; found roles)')
    expect(readFileSync(path.join(other, 'mine/roles/notes.md'), 'utf8')).toBe('mine')
  })

  it('replaces a folder it wrote, recognised by its manifest, and writes an empty one', async () => {
    const base = folder('own', {'docs/role.md': seed})
    mkdirSync(path.join(base, 'data'))
    expect((await run(['build', 'docs', '--out', 'data', '--no-cache'], base)).code).toBe(0)
    const manifest = JSON.parse(readFileSync(path.join(base, 'data/manifest.json'), 'utf8')) as {generator: unknown; files: Array<{path: string; size: number; sha256: string}>}
    expect(manifest.generator).toEqual({name: 'roledoc'})
    // Every other file, with its size and SHA-256.
    expect(manifest.files.map((file) => file.path)).toEqual(['actions.csv', 'actions.json', 'fragments.json', 'index.json', 'roles.json', 'roles.ndjson', 'roles/role.json', 'roles/role.yaml'])
    for (const file of manifest.files) {
      const bytes = readFileSync(path.join(base, 'data', file.path))
      expect([file.size, file.sha256], file.path).toEqual([bytes.length, createHash('sha256').update(bytes).digest('hex')])
    }
    writeFileSync(path.join(base, 'docs/role.md'), seed.replace('title: Partner Tier1 Support', 'title: Renamed'))
    // A file manager's own file is nobody's data.
    writeFileSync(path.join(base, 'data/roles/.DS_Store'), '')
    const again = await run(['build', 'docs', '--out', 'data', '--no-cache'], base)
    expect(again.code).toBe(0)
    expect(again.stderr).toContain('roledoc: wrote 9 files to data\n')
    expect(readFileSync(path.join(base, 'data/roles/role.json'), 'utf8')).toContain('"name": "Renamed"')
  })

  it('refuses a folder it wrote once something else is put in it, and names what (exit 2)', async () => {
    const base = folder('added', {'docs/role.md': seed})
    expect((await run(['build', 'docs', '--out', 'data', '--no-cache'], base)).code).toBe(0)
    writeFileSync(path.join(base, 'data/README.md'), 'notes\n')
    mkdirSync(path.join(base, 'data/roles/mine'))
    symlinkSync(path.join(base, 'docs'), path.join(base, 'data/docs'))
    const before = snapshot(path.join(base, 'data'))
    const result = await run(['build', 'docs', '--out', 'data', '--no-cache'], base)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      'roledoc: Output folder data holds files that roledoc did not write there (README.md, docs, roles/mine/; not in its manifest.json). ' +
        'roledoc replaces its output folder whole and would delete them: move them out of data, or choose another --out\n'
    )
    expect(snapshot(path.join(base, 'data'))).toEqual(before)
    expect(readlinkSync(path.join(base, 'data/docs'))).toBe(path.join(base, 'docs'))
  })

  it('refuses a manifest.json that roledoc did not write', async () => {
    const base = folder('other-manifest', {'docs/role.md': seed, 'app/manifest.json': '{"name": "My app", "files": []}', 'app/index.html': '<p>app</p>'})
    const result = await run(['build', 'docs', '--out', 'app', '--no-cache'], base)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('roledoc: Output folder app is not empty and holds no dataset that roledoc wrote (no manifest.json by roledoc; found index.html, manifest.json)')
    expect(readFileSync(path.join(base, 'app/index.html'), 'utf8')).toBe('<p>app</p>')
  })

  it('replaces a dataset of a roledoc without manifests only when its index.json accounts for every file', async () => {
    const base = folder('older', {'docs/role.md': seed})
    expect((await run(['build', 'docs', '--out', 'data', '--no-cache'], base)).code).toBe(0)
    // As the previous roledoc wrote it: no manifest.
    unlinkSync(path.join(base, 'data/manifest.json'))
    const check = await run(['build', 'docs', '--out', 'data', '--no-cache', '--check'], base)
    expect(check.stdout).toBe('missing: data/manifest.json\n')
    writeFileSync(path.join(base, 'data/roles/mine.json'), '{}\n')
    const refused = await run(['build', 'docs', '--out', 'data', '--no-cache'], base)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('roledoc: Output folder data holds files that roledoc did not write there (roles/mine.json; not in the dataset its index.json describes)')
    unlinkSync(path.join(base, 'data/roles/mine.json'))
    expect((await run(['build', 'docs', '--out', 'data', '--no-cache'], base)).code).toBe(0)
    expect(existsSync(path.join(base, 'data/manifest.json'))).toBe(true)
  })

  it('never replaces a folder that is, or holds, an input, even one it wrote (exit 2)', async () => {
    const base = folder('input-inside', {'docs/role.md': seed})
    expect((await run(['build', 'docs', '--out', 'data', '--no-cache'], base)).code).toBe(0)
    const before = snapshot(path.join(base, 'data'))
    const result = await run(['build', 'data/roles/role.json', '--out', 'data', '--no-cache'], base)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('roledoc: Output folder data holds the input data/roles/role.json; roledoc replaces its output folder whole, so choose an --out outside the inputs\n')
    expect(snapshot(path.join(base, 'data'))).toEqual(before)
    // Through the API, an input inside the folder.
    const {files} = await build({inputs: ['docs'], cwd: base})
    await expect(writeDataset('data', files, base, {inputs: [path.join(base, 'data/roles/role.json')]})).rejects.toThrow(
      'Output folder data holds the input data/roles/role.json; roledoc replaces its output folder whole, so choose an --out outside the inputs'
    )
    expect(snapshot(path.join(base, 'data'))).toEqual(before)
  })
})

describe('an --out under a file (#25)', () => {
  it('says that a file stands where a folder is needed, before compiling, and writes nothing (exit 2)', async () => {
    const base = folder('under-a-file', {'docs/role.md': seed, 'notes.txt': 'mine\n'})
    const before = snapshot(base)
    for (const extra of [[], ['--check']]) {
      const result = await run(['build', 'docs', '--out', 'notes.txt/data', '--no-cache', ...extra], base)
      expect(result.code, extra.join(' ')).toBe(2)
      expect(result.stderr, extra.join(' ')).toBe(
        'roledoc: Output folder notes.txt/data cannot be made: notes.txt is a file, where a folder is needed; choose another --out, or move the file\n'
      )
    }
    // Deeper, and given as an absolute path: the file is named as the folder was.
    const absolute = path.join(base, 'notes.txt/a/b')
    const deep = await run(['build', 'docs', '--out', absolute, '--no-cache'], base)
    expect(deep.stderr).toContain(`roledoc: Output folder ${absolute} cannot be made: ${path.join(base, 'notes.txt')} is a file, where a folder is needed`)
    expect(snapshot(base)).toEqual(before)
  })

  it('is refused by the writer too', async () => {
    const base = folder('under-a-file-write', {'notes.txt': 'mine\n'})
    const {dataset} = await build({inputs: [fixtures]})
    await expect(writeDataset('notes.txt/data', dataset, base)).rejects.toThrow('Output folder notes.txt/data cannot be made: notes.txt is a file, where a folder is needed')
    expect(readdirSync(base)).toEqual(['notes.txt'])
  })
})

describe('a swap cut in two (#23.2)', () => {
  /** A dataset in `data`, then the state a kill between the two renames leaves: no `data`, the dataset moved aside, the new one beside it. */
  async function cutSwap(name: string): Promise<{base: string; before: Record<string, string>; aside: string}> {
    const base = folder(name, {'docs/role.md': seed})
    expect((await run(['build', 'docs', '--out', 'data', '--no-cache'], base)).code).toBe(0)
    const before = snapshot(path.join(base, 'data'))
    const aside = 'data.roledoc-old-4194304-0badcafe'
    renameSync(path.join(base, 'data'), path.join(base, aside))
    cpSync(path.join(base, aside), path.join(base, 'data.roledoc-tmp-4194304-0badcafe'), {recursive: true})
    return {base, before, aside}
  }

  it('puts the moved-aside dataset back before anything else, also when the run then writes nothing', async () => {
    const {base, before, aside} = await cutSwap('cut-check')
    const check = await run(['build', 'docs', '--out', 'data', '--no-cache', '--check'], base)
    expect(check.stderr).toContain(`roledoc: put back data, which a stopped run had left as ${aside}\n`)
    expect(check.code).toBe(0)
    expect(snapshot(path.join(base, 'data'))).toEqual(before)

    // A build with errors writes nothing, and leaves the dataset put back.
    renameSync(path.join(base, 'data'), path.join(base, aside))
    writeFileSync(path.join(base, 'docs/role.md'), seed.replace('| microsoft.directory/users/restore |', '| not an action |'))
    const failed = await run(['build', 'docs', '--out', 'data', '--no-cache'], base)
    expect(failed.code).toBe(1)
    expect(snapshot(path.join(base, 'data'))).toEqual(before)
  })

  it('keeps the dataset put back when the write after it fails, and removes the leftovers', async () => {
    const {base, before} = await cutSwap('cut-write')
    const {files} = await build({inputs: ['docs'], cwd: base})
    let writes = 0
    const failing = async (file: string, content: string): Promise<void> => {
      if (++writes === 3) throw new Error('disk full (injected)')
      writeFileSync(file, content)
    }
    await expect(writeDataset('data', files, base, {writeFile: failing})).rejects.toThrow('disk full (injected)')
    expect(snapshot(path.join(base, 'data'))).toEqual(before)
    expect(readdirSync(base).sort()).toEqual(['data', 'docs'])
  })

  it('does not put back a moved-aside folder that is not whole (its removal had begun)', async () => {
    const {base, aside} = await cutSwap('cut-partial')
    unlinkSync(path.join(base, aside, 'manifest.json'))
    unlinkSync(path.join(base, aside, 'index.json'))
    const result = await run(['build', 'docs', '--out', 'data', '--no-cache'], base)
    expect(result.code).toBe(0)
    expect(result.stderr).not.toContain('put back')
    expect(readdirSync(base).sort()).toEqual(['data', 'docs'])
  })
})

describe('the lock (#23.6)', () => {
  const lockOf = (base: string): string => path.join(base, 'data.roledoc-lock')
  const holder = (pid: number, token = 'not-this-run'): string =>
    JSON.stringify({pid, host: hostname(), pidNamespace: readlinkSync('/proc/self/ns/pid'), token})
  const anHourAgo = (): number => Date.now() / 1000 - 3600

  async function dataset(name: string): Promise<{base: string; files: Awaited<ReturnType<typeof build>>['files']}> {
    const base = folder(name, {'docs/role.md': seed})
    return {base, files: (await build({inputs: ['docs'], cwd: base})).files}
  }

  // Each of these locks, an older roledoc's (a bare process id) among them, is stale: taken over at once.
  for (const [what, text, old] of [
    ['names this process, but no run of it (an older roledoc\'s lock: a bare process id)', () => String(process.pid), false],
    ['names this process in its own namespace, but no run of it', () => holder(process.pid), false],
    ['names PID 1 (a container killed while node was PID 1), not refreshed for an hour', () => '1', true],
    ['names PID 1 in its own namespace, not refreshed for an hour', () => holder(1), true],
    ['names a live unrelated process (an older roledoc\'s lock), not refreshed for an hour', () => String(process.ppid), true],
    ['names a live unrelated process, not refreshed for an hour', () => holder(process.ppid), true],
    ['names a live process of another PID namespace, not refreshed for an hour', () => JSON.stringify({pid: process.ppid, host: hostname(), pidNamespace: 'pid:[1]', token: 'x'}), true],
    ['is unreadable, and not refreshed for an hour', () => 'garbage', true]
  ] as const) {
    it(`takes over a lock that ${what}`, async () => {
      const {base, files} = await dataset(`lock-${createHash('sha256').update(what).digest('hex').slice(0, 8)}`)
      writeFileSync(lockOf(base), text())
      if (old) utimesSync(lockOf(base), anHourAgo(), anHourAgo())
      await writeDataset('data', files, base, {lockTimeout: 500})
      expect(existsSync(path.join(base, 'data/index.json'))).toBe(true)
      expect(existsSync(lockOf(base))).toBe(false)
    })
  }

  it('waits for a lock that a live process holds and refreshes, then fails clearly (exit 2 in the CLI)', async () => {
    const {base, files} = await dataset('lock-held')
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'])
    try {
      writeFileSync(lockOf(base), holder(sleeper.pid as number))
      await expect(writeDataset('data', files, base, {lockTimeout: 300})).rejects.toThrow(
        `Another roledoc run (process ${sleeper.pid} on ${hostname()}) is writing to data; waited 300 ms. Run again when it is done (a lock that is not refreshed for 10 s is taken over`
      )
      // Another namespace's live lock: its process id means nothing here, its refresh does.
      writeFileSync(lockOf(base), JSON.stringify({pid: 999_999_999, host: 'elsewhere', pidNamespace: 'pid:[1]', token: 'x'}))
      await expect(writeDataset('data', files, base, {lockTimeout: 300})).rejects.toThrow('Another roledoc run (process 999999999 on elsewhere) is writing to data')
    } finally {
      sleeper.kill('SIGKILL')
    }
    expect(existsSync(path.join(base, 'data'))).toBe(false)
  })

  it('refreshes the lock while it writes', async () => {
    const {base, files} = await dataset('lock-refreshed')
    const times: number[] = []
    // The first file waits past one refresh interval (1 s): the refresh timer comes due first.
    const slow = async (file: string, content: string): Promise<void> => {
      if (times.length === 0) {
        times.push(statSync(lockOf(base)).mtimeMs)
        await new Promise((resolve) => setTimeout(resolve, 1500))
        times.push(statSync(lockOf(base)).mtimeMs)
      }
      writeFileSync(file, content)
    }
    await writeDataset('data', files, base, {writeFile: slow})
    expect(times).toHaveLength(2)
    expect(times[1]).toBeGreaterThan(times[0] as number)
  })

  it('replaces nothing when another run took the lock over meanwhile', async () => {
    const {base, files} = await dataset('lock-lost')
    await writeDataset('data', files, base)
    const before = snapshot(path.join(base, 'data'))
    let writes = 0
    const stolen = async (file: string, content: string): Promise<void> => {
      if (++writes === 2) writeFileSync(lockOf(base), holder(process.ppid, 'another-run'))
      writeFileSync(file, content.replace('Partner Tier1 Support', 'Changed'))
    }
    await expect(writeDataset('data', files, base, {writeFile: stolen})).rejects.toThrow(
      'Another roledoc run took over the lock on data: this one did not refresh it for 10 s (was it stopped?). Nothing was replaced; run again'
    )
    expect(snapshot(path.join(base, 'data'))).toEqual(before)
    // Its lock is left to it.
    expect(JSON.parse(readFileSync(lockOf(base), 'utf8'))).toMatchObject({token: 'another-run'})
  })
})
