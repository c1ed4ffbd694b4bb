/**
 * Signals stop a run (issue #23 point 5): SIGINT (Ctrl-C) or SIGTERM, during
 * a slow parse or during the write, stops `roledoc build` at once, leaves
 * the previous output as it was and nothing beside it, and exits 130 or
 * 143. The children are told nothing: test/helpers/hooks.mjs, loaded with
 * `node --import`, says where they are and pauses the write.
 */
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {build} from '../src/index.js'
import {acquireLock} from '../src/driver/lock.js'
import {Interrupted, main} from '../src/cli/index.js'
import {fixtures, root} from './helpers/paths.js'
import {writeDataset} from '../src/driver/write.js'
import {folderBytes} from './helpers/folder.js'

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-signals-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

const seed = readFileSync(path.join(fixtures, 'partner-tier1-support.md'), 'utf8')
/** 200 KB that micromark parses in quadratic time: minutes (a 50 KB run takes about 15 s here). */
const endless = '['.repeat(100_000) + ']'.repeat(100_000)
const hooks = path.join(root, 'test/helpers/hooks.mjs')

/** `docs/` with `files` (each seed role unless given), and `out/` built from the seed roles. */
async function project(name: string, files: Record<string, string>): Promise<string> {
  const base = path.join(work, name)
  mkdirSync(path.join(base, 'docs'), {recursive: true})
  for (const [file, content] of Object.entries(files)) writeFileSync(path.join(base, 'docs', file), content)
  const roles = Object.keys(files).filter((file) => files[file] === seed)
  await writeDataset('out', (await build({inputs: roles.map((file) => `docs/${file}`), cwd: base})).dataset, base)
  return base
}

/** `roledoc build docs --out out --no-cache …` in `base`, with the hooks loaded. */
function spawnBuild(base: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', hooks, path.join(root, 'dist/bin.js'), 'build', 'docs', '--out', 'out', '--no-cache', ...args], {
    cwd: base,
    env: {...process.env, ...env}
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const waitFor = async (text: string): Promise<void> => {
    while (!stderr.includes(text)) {
      if (child.exitCode !== null) throw new Error(`the child exited (${child.exitCode}) before saying ${JSON.stringify(text)}:\n${stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  return {child, exited, waitFor, stderr: () => stderr}
}

describe('a signal', () => {
  it('during a slow parse stops the build: SIGTERM exits 143, the previous output as it was, nothing left beside it', {timeout: 60_000}, async () => {
    const base = await project('parse', {'role.md': seed, 'endless.md': endless})
    const before = folderBytes(path.join(base, 'out'))
    // A budget of ten minutes: only the signal can stop this parse.
    const run = spawnBuild(base, ['--file-timeout', '600s'])
    try {
      await run.waitFor('hook: listening for SIGTERM')
      await run.waitFor('hook: compile worker started')
      // Well into the parse, which takes minutes (a signal sooner must work as well).
      await new Promise((resolve) => setTimeout(resolve, 1000))
      run.child.kill('SIGTERM')
      expect(await run.exited).toBe(143)
      expect(run.stderr()).toContain('roledoc: interrupted; nothing written\n')
      expect(folderBytes(path.join(base, 'out'))).toEqual(before)
      expect(readdirSync(base).sort()).toEqual(['docs', 'out'])
    } finally {
      run.child.kill('SIGKILL')
    }
  })

  it('during the write stops it before the new folder is in place: SIGINT exits 130, the previous output as it was, nothing left beside it', {timeout: 60_000}, async () => {
    const base = await project('write', {'role.md': seed})
    writeFileSync(path.join(base, 'docs/role.md'), seed.replace('Partner Tier1 Support', 'Changed'))
    const before = folderBytes(path.join(base, 'out'))
    const go = path.join(work, 'write-go')
    const run = spawnBuild(base, [], {ROLEDOC_HOOK_GO: go})
    try {
      await run.waitFor('hook: writing')
      run.child.kill('SIGINT')
      writeFileSync(go, '')
      expect(await run.exited).toBe(130)
      expect(run.stderr()).toContain('roledoc: interrupted; nothing written\n')
      expect(run.stderr()).not.toContain('wrote')
      expect(folderBytes(path.join(base, 'out'))).toEqual(before)
      expect(readdirSync(base).sort()).toEqual(['docs', 'out'])
    } finally {
      run.child.kill('SIGKILL')
    }
  })

  it('stops --watch (exit 0) and a rebuild under way, which writes nothing', {timeout: 60_000}, async () => {
    const base = await project('watch', {'role.md': seed})
    const run = spawnBuild(base, ['--watch', '--file-timeout', '600s'])
    try {
      await run.waitFor('(Ctrl-C to stop)')
      const before = folderBytes(path.join(base, 'out'))
      writeFileSync(path.join(base, 'docs/role.md'), endless)
      // The rebuild's compile worker: the second one to start.
      while (run.stderr().split('hook: compile worker started').length < 3) await new Promise((resolve) => setTimeout(resolve, 20))
      await new Promise((resolve) => setTimeout(resolve, 1000))
      run.child.kill('SIGINT')
      expect(await run.exited).toBe(0)
      expect(run.stderr()).toContain('roledoc: stopped watching\n')
      expect(folderBytes(path.join(base, 'out'))).toEqual(before)
      expect(readdirSync(base).sort()).toEqual(['docs', 'out'])
    } finally {
      run.child.kill('SIGKILL')
    }
  })

  it('tells the exit code: 130 for SIGINT, 143 for SIGTERM', async () => {
    const base = await project('codes', {'role.md': seed})
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143]
    ] as const) {
      const stop = new AbortController()
      stop.abort(new Interrupted(signal))
      let stderr = ''
      const result = await main(['build', 'docs', '--out', 'out', '--no-cache'], {stdout: () => {}, stderr: (text) => (stderr += text), cwd: base, signal: stop.signal})
      expect(result, signal).toBe(code)
      expect(stderr, signal).toBe('roledoc: interrupted; nothing written\n')
    }
  })
})

describe('writeDataset given a signal', () => {
  it('stops before the new folder is in place when the signal aborts half-way, and leaves the previous one', async () => {
    const base = await project('write-api', {'role.md': seed, 'other.md': seed})
    const before = folderBytes(path.join(base, 'out'))
    const {files} = await build({inputs: ['docs'], cwd: base})
    const stop = new AbortController()
    let written = 0
    const writing = writeDataset('out', files, base, {
      signal: stop.signal,
      writeFile: async (file, content) => {
        if (++written === 2) stop.abort(new Interrupted('SIGTERM'))
        writeFileSync(file, content)
      }
    })
    await expect(writing).rejects.toBeInstanceOf(Interrupted)
    expect(folderBytes(path.join(base, 'out'))).toEqual(before)
    expect(readdirSync(base).sort()).toEqual(['docs', 'out'])
  })

  it('stops waiting for the lock that another run holds', async () => {
    const base = await project('lock', {'role.md': seed})
    // Held by another run of this very process, alive and refreshed: a write without a signal would wait the whole minute.
    const held = await acquireLock(path.join(base, 'out'), 'out', 1000)
    try {
      const {files} = await build({inputs: ['docs'], cwd: base})
      const stop = new AbortController()
      setTimeout(() => stop.abort(new Interrupted('SIGINT')), 100)
      await expect(writeDataset('out', files, base, {signal: stop.signal, lockTimeout: 60_000})).rejects.toBeInstanceOf(Interrupted)
      expect(readdirSync(base).sort()).toEqual(['docs', 'out', 'out.roledoc-lock'])
    } finally {
      held.release()
    }
  })
})
