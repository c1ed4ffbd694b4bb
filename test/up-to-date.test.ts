/**
 * The up-to-date shortcut (a build that finds its output folder already
 * holding this dataset writes nothing) never disagrees with `--check`:
 * not when a file changed during the build (issue #23.3), not when an
 * option changed what is written (#22.7).
 */
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {main} from '../src/cli/index.js'
import {fixtures} from './helpers/paths.js'
import {compileDataset, type CompiledDataset} from '../src/driver/build.js'
import {checkDataset} from '../src/driver/check.js'
import {Cache} from '../src/driver/incremental/cache.js'
import {previousOutput, rememberOutput} from '../src/driver/incremental/written.js'
import {writeDataset} from '../src/driver/write.js'

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-up-to-date-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

const seed = readFileSync(path.join(fixtures, 'partner-tier1-support.md'), 'utf8')
const titled = (title: string): string => seed.replace('title: Partner Tier1 Support', `title: ${title}`)

async function run(argv: string[], cwd: string): Promise<{code: number; stdout: string; stderr: string}> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, {stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd})
  return {code, stdout, stderr}
}

describe('a file changed while the build runs (#23.3)', () => {
  it('is keyed by the bytes compiled: changed back afterwards, the folder is not up to date, as --check says', async () => {
    const base = path.join(work, 'changed-meanwhile')
    mkdirSync(path.join(base, 'docs'), {recursive: true})
    writeFileSync(path.join(base, 'docs/a.md'), titled('Role A'))
    const b = path.join(base, 'docs/b.md')
    writeFileSync(b, titled('First'))
    const cache = new Cache(path.join(base, 'cache'))
    // What `roledoc build` does: the shortcut, else a write that the cache remembers.
    const once = async (onProgress?: () => void): Promise<CompiledDataset> => {
      const result = await compileDataset({inputs: ['docs'], cwd: base, cache, reuse: 'data', ...(onProgress ? {onProgress} : {})})
      if (!result.upToDate) {
        const written = await writeDataset('data', result.files, base, {previous: await previousOutput(cache, 'data', base)})
        await rememberOutput(cache, 'data', result, written, base)
      }
      return result
    }
    const name = (): string => (JSON.parse(readFileSync(path.join(base, 'data/roles/b.json'), 'utf8')) as {name: string}).name
    await once()
    expect(name()).toBe('First')

    // b.md is keyed as "Second"; a.md comes from the cache and is done
    // first, and then, before b.md is compiled, it changes to "Third".
    writeFileSync(b, titled('Second'))
    let changed = false
    const meanwhile = await once(() => {
      if (!changed) writeFileSync(b, titled('Third'))
      changed = true
    })
    expect(meanwhile.stats).toEqual({parsed: 1, cached: 1, threads: 1})
    expect(name()).toBe('Third')

    // Changed back to the bytes it was keyed by: the folder holds "Third".
    writeFileSync(b, titled('Second'))
    const check = await checkDataset('data', (await compileDataset({inputs: ['docs'], cwd: base})).files, base)
    expect(check.stale).toEqual(expect.arrayContaining(['actions.csv', 'index.json', 'roles.json', 'roles.ndjson', 'roles/b.json', 'roles/b.yaml']))
    const after = await once()
    expect(after.upToDate).toBeUndefined()
    expect(name()).toBe('Second')
    expect(await checkDataset('data', (await compileDataset({inputs: ['docs'], cwd: base})).files, base)).toEqual({stale: [], missing: [], extra: []})
    expect((await once()).upToDate).toBe(true)
  })
})

describe('options that change what is written (#22.7)', () => {
  // Every option that changes the set of files written, or their bytes: one build with the first, then with the second.
  const cases: Array<[string, string[], string[]]> = [
    ['--site, then without', ['--site'], []],
    ['without --site, then with it', [], ['--site']],
    ['--site-base-url changed', ['--site', '--site-base-url', 'https://a.example/blob/main/'], ['--site', '--site-base-url', 'https://b.example/blob/main/']],
    ['--since, then --site without it', ['--site', '--since', 'old'], ['--site']],
    ['--formats json, then all', ['--formats', 'json'], []],
    ['all formats, then --formats yaml,csv', [], ['--formats', 'yaml,csv']]
  ]
  for (const [what, first, second] of cases) {
    it(`writes what the options of each build say: ${what}`, async () => {
      const base = path.join(work, `options-${what.replace(/[^a-z]+/g, '-')}`)
      mkdirSync(path.join(base, 'docs'), {recursive: true})
      writeFileSync(path.join(base, 'docs/role.md'), seed)
      cpSync(path.join(base, 'docs'), path.join(base, 'old'), {recursive: true})
      writeFileSync(path.join(base, 'old/role.md'), titled('Older name'))
      const buildWith = (options: string[], ...more: string[]) => run(['build', 'docs', '--out', 'data', '--cache-dir', 'cache', ...options, ...more], base)

      expect((await buildWith(first)).code).toBe(0)
      const then = await buildWith(second)
      expect(then.code).toBe(0)
      expect(then.stderr).toMatch(/roledoc: wrote \d+ files to data\n/)
      const check = await buildWith(second, '--check')
      expect(check.stdout).toBe('')
      expect(check.code).toBe(0)
      // The same options again: nothing to do, and --check still agrees.
      expect((await buildWith(second)).stderr).toContain('roledoc: data is up to date\n')
      expect((await buildWith(second, '--check')).code).toBe(0)
    })
  }
})

describe('where the docs lie, which the page\'s source links follow (#25)', () => {
  it('the same docs in another folder, built into the same output with --site, are not up to date: the page links the copy', async () => {
    const base = path.join(work, 'docs-elsewhere')
    mkdirSync(path.join(base, 'one/docs'), {recursive: true})
    writeFileSync(path.join(base, 'one/docs/role.md'), seed)
    cpSync(path.join(base, 'one'), path.join(base, 'two'), {recursive: true})
    // The same command line, run from each folder: only where `docs` is differs.
    const buildFrom = (where: string, ...more: string[]) =>
      run(['build', 'docs', '--out', '../data', '--cache-dir', '../cache', '--site', ...more], path.join(base, where))
    const page = (): string => readFileSync(path.join(base, 'data/site/index.html'), 'utf8')

    expect((await buildFrom('one')).code).toBe(0)
    expect(page()).toContain('"sourceFolders":["../../one/docs/"]')
    // Same bytes, same folder name: only the links differ.
    const then = await buildFrom('two')
    expect(then.stderr).toMatch(/roledoc: wrote \d+ files to \.\.\/data\n/)
    expect(page()).toContain('"sourceFolders":["../../two/docs/"]')
    expect((await buildFrom('two', '--check')).code).toBe(0)
    expect((await buildFrom('one', '--check')).code).toBe(1)
    expect((await buildFrom('two')).stderr).toContain('roledoc: ../data is up to date\n')
  })
})
