/**
 * Where the cache goes: `node_modules/.cache/roledoc` only inside a Node
 * project, else the user's cache folder; and never where the output folder
 * is (the output is replaced whole).
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {defaultCacheFolder} from '../src/driver/incremental/cache.js'
import {main, type CliIo} from '../src/cli/index.js'
import {root} from './helpers/paths.js'

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-cache-folder-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

const seed = readFileSync(path.join(root, 'fixtures/partner-tier1-support.md'), 'utf8')

async function run(argv: string[], cwd: string, env?: CliIo['env']): Promise<{code: number; stderr: string}> {
  let stderr = ''
  const code = await main(argv, {stdout: () => {}, stderr: (text) => (stderr += text), cwd, ...(env ? {env} : {})})
  return {code, stderr}
}

/** A docs folder (not a Node project) with one role, and a home folder of its own. */
function docsRepo(name: string): {base: string; home: string} {
  const base = path.join(work, name, 'repo')
  mkdirSync(path.join(base, 'docs'), {recursive: true})
  writeFileSync(path.join(base, 'docs/role.md'), seed)
  const home = path.join(work, name, 'home')
  mkdirSync(home)
  return {base, home}
}

/** Whether `folder` holds cache entries of roledoc (a `roledoc-<fingerprint>` folder). */
const holdsCache = (folder: string): boolean => existsSync(folder) && readdirSync(folder).some((name) => /^roledoc-[\da-f]{16}$/.test(name))

describe('the default cache folder', () => {
  it('is $XDG_CACHE_HOME/roledoc outside a Node project, and no node_modules is made', async () => {
    const {base, home} = docsRepo('xdg')
    const xdg = path.join(home, 'xdg-cache')
    expect((await run(['build', 'docs', '--out', 'data'], base, {HOME: home, XDG_CACHE_HOME: xdg})).code).toBe(0)
    expect(holdsCache(path.join(xdg, 'roledoc'))).toBe(true)
    expect(readdirSync(base).sort()).toEqual(['data', 'docs'])
    // The next build finds it.
    expect((await run(['build', 'docs', '--out', 'data'], base, {HOME: home, XDG_CACHE_HOME: xdg})).stderr).toContain('roledoc: data is up to date\n')
  })

  it('is ~/.cache/roledoc without XDG_CACHE_HOME, or when it is not an absolute path', async () => {
    const {base, home} = docsRepo('home')
    expect((await run(['build', 'docs', '--out', 'data'], base, {HOME: home})).code).toBe(0)
    expect(holdsCache(path.join(home, '.cache/roledoc'))).toBe(true)
    expect(defaultCacheFolder(base, {HOME: home, XDG_CACHE_HOME: 'relative/cache'})).toBe(path.join(home, '.cache/roledoc'))
    expect(readdirSync(base).sort()).toEqual(['data', 'docs'])
  })

  it('is none with neither XDG_CACHE_HOME nor HOME (an absolute path) set: the build keeps no cache', async () => {
    const {base} = docsRepo('no-home')
    expect(defaultCacheFolder(base, {})).toBeNull()
    expect(defaultCacheFolder(base, {HOME: 'relative'})).toBeNull()
    for (let run_ = 0; run_ < 2; run_++) {
      const result = await run(['build', 'docs', '--out', 'data'], base, {})
      expect(result.code).toBe(0)
      // Never "up to date": nothing remembers the folder.
      expect(result.stderr).toContain('roledoc: wrote 9 files to data\n')
    }
    expect(readdirSync(base).sort()).toEqual(['data', 'docs'])
  })

  it('is node_modules/.cache/roledoc of the Node project the working folder is in (the nearest package.json up)', async () => {
    const {base, home} = docsRepo('project')
    writeFileSync(path.join(base, 'package.json'), '{"name": "docs-site"}\n')
    const inner = path.join(base, 'docs')
    const env = {HOME: home, XDG_CACHE_HOME: path.join(home, 'xdg')}
    expect((await run(['build', '.', '--out', '../data'], inner, env)).code).toBe(0)
    expect(holdsCache(path.join(base, 'node_modules/.cache/roledoc'))).toBe(true)
    expect(existsSync(path.join(inner, 'node_modules'))).toBe(false)
    expect(existsSync(path.join(home, 'xdg'))).toBe(false)
    // A folder named package.json is not a project.
    const {base: other, home: otherHome} = docsRepo('not-project')
    mkdirSync(path.join(other, 'package.json'))
    expect(defaultCacheFolder(other, {HOME: otherHome})).toBe(path.join(otherHome, '.cache/roledoc'))
  })

  it('is found from the environment of the installed bin', () => {
    const {base, home} = docsRepo('bin')
    const xdg = path.join(home, 'from-env')
    const result = spawnSync(process.execPath, [path.join(root, 'dist/bin.js'), 'build', 'docs', '--out', 'data'], {
      cwd: base,
      encoding: 'utf8',
      env: {...process.env, HOME: home, XDG_CACHE_HOME: xdg}
    })
    expect(result.status, result.stderr).toBe(0)
    expect(holdsCache(path.join(xdg, 'roledoc'))).toBe(true)
    expect(readdirSync(base).sort()).toEqual(['data', 'docs'])
  })
})

describe('a cache folder and an output folder that overlap', () => {
  const overlapMessage = /^roledoc: The cache folder (\S+) and the output folder (\S+) overlap \(one is, or holds, the other\); choose another --cache-dir or --out\n$/

  it('are refused up front (exit 2), writing nothing: the same folder, either inside the other, or the same through a link', async () => {
    const {base} = docsRepo('overlap')
    for (const [cache, out] of [
      ['X', 'X'],
      ['X/cache', 'X'],
      ['X', 'X/out'],
      ['./X/', 'X']
    ]) {
      for (const check of [[], ['--check']]) {
        const result = await run(['build', 'docs', '--out', out as string, '--cache-dir', cache as string, ...check], base)
        expect(result.code, `${cache} ${out} ${check.join('')}`).toBe(2)
        expect(result.stderr).toMatch(overlapMessage)
        expect(readdirSync(base)).toEqual(['docs'])
      }
    }
    mkdirSync(path.join(base, 'real'))
    symlinkSync(path.join(base, 'real'), path.join(base, 'alias'))
    const linked = await run(['build', 'docs', '--out', 'real', '--cache-dir', 'alias/cache'], base)
    expect(linked.code).toBe(2)
    expect(linked.stderr).toMatch(overlapMessage)
    expect(readdirSync(path.join(base, 'real'))).toEqual([])
  })

  it('leave a dataset there as it was; and a default cache inside the output folder is refused too', async () => {
    const {base, home} = docsRepo('overlap-kept')
    expect((await run(['build', 'docs', '--out', 'X', '--no-cache'], base)).code).toBe(0)
    const before = readFileSync(path.join(base, 'X/roles.json'), 'utf8')
    expect((await run(['build', 'docs', '--out', 'X', '--cache-dir', 'X'], base)).code).toBe(2)
    expect(readdirSync(path.join(base, 'X')).sort()).toEqual(['actions.csv', 'actions.json', 'fragments.json', 'index.json', 'manifest.json', 'roles', 'roles.json', 'roles.ndjson'])
    expect(readFileSync(path.join(base, 'X/roles.json'), 'utf8')).toBe(before)
    // The user's cache folder chosen as the output.
    const cache = path.join(home, '.cache')
    const result = await run(['build', 'docs', '--out', cache], base, {HOME: home})
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(overlapMessage)
    expect(existsSync(cache)).toBe(false)
  })
})
