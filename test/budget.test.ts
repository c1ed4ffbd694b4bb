/**
 * The per-file budget (issue #23 point 4): a file that takes longer than
 * `fileTimeout` to compile, or more memory than a compile thread may use,
 * is stopped and reported with its own rule at 1:1; the other files still
 * compile, nothing of it is cached, and the CLI writes nothing (exit 1).
 * No test here times anything: the slow input takes well over ten times
 * the budget it is given.
 */
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {formatMessage} from '../src/index.js'
import {compileOnThreads, overrunFile, type Overrun} from '../src/driver/threads.js'
import {main} from '../src/cli/index.js'
import type {SerializedCompiled} from '../src/driver/serialize.js'
import {fixtures} from './helpers/paths.js'
import {compileDataset} from '../src/driver/build.js'
import {Cache} from '../src/driver/incremental/cache.js'
import {folderBytes} from './helpers/folder.js'

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-budget-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

function folder(name: string, files: Record<string, string>): string {
  const base = path.join(work, name)
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(base, file)), {recursive: true})
    writeFileSync(path.join(base, file), content)
  }
  return base
}

const seed = readFileSync(path.join(fixtures, 'partner-tier1-support.md'), 'utf8')
/**
 * 50 KB that micromark parses in quadratic time (each `[` looks for its
 * `]`): about 15 s here, and a bare remark parse takes as long. With a
 * budget of 1 s, far more than ten times the budget on any machine.
 */
const slow = '['.repeat(25_000) + ']'.repeat(25_000)
const budget = 1000
const timeoutReason = 'The file took longer than 1 s to compile and was stopped: a very large file, or Markdown such as long runs of unclosed `*`, `_`, `~` or `[` or many thousands of headings or callouts, makes the parser this slow. Split or simplify the file, or raise --file-timeout'

async function run(argv: string[], cwd: string): Promise<{code: number; stderr: string}> {
  let stderr = ''
  const code = await main(argv, {stdout: () => {}, stderr: (text) => (stderr += text), cwd})
  return {code, stderr}
}

describe('a file over the time budget', () => {
  it('is stopped and reported at 1:1 with file-timeout; the other files compile, and it is never cached', async () => {
    const base = folder('api', {'docs/slow.md': slow, 'docs/role.md': seed})
    const cache = new Cache(path.join(base, 'cache'))
    const result = await compileDataset({inputs: ['docs'], cwd: base, fileTimeout: budget, cache})
    expect(result.messages.map(formatMessage)).toEqual([`docs/slow.md:1:1  error  ${timeoutReason}  file-timeout`])
    expect(result.messages[0]?.fatal).toBe(true)
    expect(result.records.map((record) => record.id)).toEqual(['role'])
    expect(result.summary).toMatchObject({files: 2, roles: 1, skipped: 1})
    expect(result.stats).toEqual({parsed: 2, cached: 0, threads: 1})

    // The role comes from the cache; the slow file is compiled (and stopped) again.
    const again = await compileDataset({inputs: ['docs'], cwd: base, fileTimeout: budget, cache})
    expect(again.stats).toEqual({parsed: 1, cached: 1, threads: 1})
    expect(again.messages.map(formatMessage)).toEqual(result.messages.map(formatMessage))
  })

  it('fails `roledoc build` (exit 1), writes nothing, and says how to fix it; --file-timeout or the config key fileTimeout sets the budget', async () => {
    const base = folder('cli', {'docs/slow.md': slow, 'docs/role.md': seed})
    expect((await run(['build', 'docs/role.md', '--out', 'out', '--no-cache'], base)).code).toBe(0)
    const before = folderBytes(path.join(base, 'out'))

    const flag = await run(['build', 'docs', '--out', 'out', '--no-cache', '--file-timeout', '1s'], base)
    expect(flag.code).toBe(1)
    expect(flag.stderr).toContain(`docs/slow.md:1:1  error  ${timeoutReason}  file-timeout\n`)
    expect(flag.stderr).toContain('roledoc: 2 files read: 1 role, 0 fragments, 0 reference pages, 1 skipped\n')
    expect(flag.stderr).toContain('roledoc: nothing written to out\n')
    expect(folderBytes(path.join(base, 'out'))).toEqual(before)

    writeFileSync(path.join(base, 'roledoc.config.json'), '{"fileTimeout": 1000}\n')
    const config = await run(['build', 'docs', '--out', 'out', '--no-cache'], base)
    expect(config.code).toBe(1)
    expect(config.stderr).toContain(`docs/slow.md:1:1  error  ${timeoutReason}  file-timeout\n`)
    expect(folderBytes(path.join(base, 'out'))).toEqual(before)
    expect(readdirSync(base).sort()).toEqual(['docs', 'out', 'roledoc.config.json'])
  })

  it('takes --file-timeout as a time with its unit, and fileTimeout as whole milliseconds', async () => {
    const base = folder('options', {'docs/role.md': seed})
    for (const value of ['10', '0s', '1.5 minutes', 'soon']) {
      const bad = await run(['build', 'docs', '--no-cache', '--file-timeout', value], base)
      expect(bad.code, value).toBe(2)
      expect(bad.stderr, value).toContain(`roledoc: Expected --file-timeout as a time with its unit, such as \`30s\` or \`500ms\`, found \`${value}\``)
    }
    // Longer than a timer can wait (about 24.8 days): as long as it can.
    const long = await run(['build', 'docs', '--no-cache', '--file-timeout', '3000000s'], base)
    expect(long.stderr).not.toContain('file-timeout')
    expect(long.code).toBe(0)
    writeFileSync(path.join(base, 'roledoc.config.json'), '{"fileTimeout": "10s"}\n')
    const config = await run(['build', 'docs', '--no-cache'], base)
    expect(config.code).toBe(2)
    expect(config.stderr).toContain('roledoc.config.json:1:17  error  Expected `fileTimeout` to be a whole number of milliseconds, found "10s"  invalid-config')
  })
})

describe('a file over the memory budget', () => {
  it('stops the compile thread that fills its heap, reports that file, and compiles the rest on a new thread', async () => {
    // About 500 KB of a realistic permissions table needs more than 32 MiB of heap; the seed role needs far less.
    const rows = Array.from({length: 4000}, (_, index) => `> | microsoft.directory/users${index}/standard/read | Read standard properties of users number ${index} |`)
    const big = seed.replace(/(> \| --- \| --- \|\n)/, `$1${rows.join('\n')}\n`)
    const items = [
      {name: 'big.md', text: big},
      {name: 'role.md', text: seed}
    ]
    const done: Array<[string, SerializedCompiled['kind']]> = []
    const overran: Array<[string, Overrun]> = []
    await compileOnThreads(
      {
        items,
        load: (item) => ({display: item.name, sourcePath: item.name, bytes: Buffer.from(item.text), maxFileSize: 1024 * 1024}),
        done: (item, result) => void done.push([item.name, result.kind]),
        overran: (item, limit) => void overran.push([item.name, limit])
      },
      {threads: 1, script: new URL('../dist/worker.js', import.meta.url), fileTimeout: 600_000, heapMb: 32}
    )
    expect(overran).toEqual([['big.md', 'memory']])
    expect(done).toEqual([['role.md', 'role']])
  })

  it('says which limit and what to do', () => {
    const compiled = overrunFile('docs/big.md', 'memory', {fileTimeout: budget, heapMb: 512})
    expect(compiled.kind).toBe('skipped')
    expect(compiled.messages.map(formatMessage)).toEqual([
      'docs/big.md:1:1  error  Compiling the file took more than the 512 MiB of memory a compile thread may use, and was stopped; split or simplify the file  file-out-of-memory'
    ])
  })
})
