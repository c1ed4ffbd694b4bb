/**
 * Workers and the cache never change the output: the same bytes for any
 * worker count, cold or warm cache, and a broken cache is ignored.
 */
import {cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {build, formatMessage, type BuildResult} from '../src/index.js'
import {Cache} from '../src/cache.js'
import {main} from '../src/cli.js'
import {reference, root} from './helpers/paths.js'

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-cache-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

const printed = (result: BuildResult): string[] => result.messages.map((message) => formatMessage(message))

function cacheFiles(folder: string): string[] {
  return readdirSync(folder, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
}

describe('the real reference folder', () => {
  let baseline: BuildResult

  it('gives the same bytes and messages with 1 and 2 workers, and with a cold and a warm cache', async () => {
    baseline = await build({inputs: [reference], cwd: root, workers: 1})
    const twoWorkers = await build({inputs: [reference], cwd: root, workers: 2})
    const cache = new Cache(path.join(work, 'cache'))
    const cold = await build({inputs: [reference], cwd: root, workers: 2, cache})
    const warm = await build({inputs: [reference], cwd: root, workers: 2, cache})
    for (const result of [twoWorkers, cold, warm]) {
      expect(result.dataset).toEqual(baseline.dataset)
      expect(printed(result)).toEqual(printed(baseline))
      expect(result.summary).toEqual(baseline.summary)
    }
    expect(cacheFiles(path.join(work, 'cache')).length).toBeGreaterThanOrEqual(140)
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
    const rebuilt = await build({inputs: [reference], cwd: root, workers: 1, cache: new Cache(folder)})
    expect(rebuilt.dataset).toEqual(baseline.dataset)
    expect(printed(rebuilt)).toEqual(printed(baseline))
    // The damaged entries were written again, whole.
    for (const file of cacheFiles(folder)) expect(() => JSON.parse(readFileSync(file, 'utf8'))).not.toThrow()
  })
})

describe('the CLI', () => {
  async function run(argv: string[], cwd: string): Promise<{code: number; stderr: string}> {
    let stderr = ''
    const code = await main(argv, {stdout: () => {}, stderr: (text) => (stderr += text), cwd})
    return {code, stderr}
  }

  it('caches under node_modules/.cache/roledoc by default, and skips an output folder that is up to date', async () => {
    const base = path.join(work, 'cli')
    cpSync(path.join(root, 'fixtures'), path.join(base, 'docs'), {recursive: true})
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
    expect(repaired.stderr).toContain('wrote 9 files to data')
    expect(readFileSync(path.join(base, 'data/roles.json'), 'utf8')).toBe(before)

    // A changed input is compiled again.
    const file = path.join(base, 'docs/partner-tier1-support.md')
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: Partner Tier1 Support', 'title: Partner Tier One'))
    const changed = await run(['build', 'docs', '--out', 'data'], base)
    expect(changed.stderr).toContain('wrote 9 files to data')
    expect(readFileSync(path.join(base, 'data/roles/partner-tier1-support.json'), 'utf8')).toContain('"name": "Partner Tier One"')
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
})
