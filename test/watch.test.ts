/**
 * `roledoc build --watch` as editors and people use it: files saved by
 * renaming a new file over them (`sed -i`, vim, most IDEs; issue #22.6),
 * files deleted and made again, and the watched folder itself deleted or
 * renamed, then back (#23.7). The bin runs in a child process; each wait
 * has a generous deadline that only bounds a hang.
 */
import {spawn, spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, expect, it} from 'vitest'
import {fixtures, root} from './helpers/paths.js'

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-watch-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

const seed = readFileSync(path.join(fixtures, 'partner-tier1-support.md'), 'utf8')
const titled = (title: string): string => seed.replace('title: Partner Tier1 Support', `title: ${title}`)

interface Watching {
  docs: string
  /** What the run printed so far. */
  stderr: () => string
  waitFor: (text: string, times?: number) => Promise<void>
  /** Make a change, then wait for the build it brings. */
  rebuiltAfter: (change: () => void) => Promise<void>
  /** The names of the roles in the dataset, sorted. */
  names: () => string[]
  /** Ctrl-C: resolves with the exit code. */
  stop: () => Promise<number | null>
  exitCode: () => number | null
}

/** `roledoc build docs --out data --watch` in a new folder `name`, once it watches. */
async function startWatching(name: string): Promise<Watching & {kill: () => void}> {
  const base = path.join(work, name)
  const docs = path.join(base, 'docs')
  mkdirSync(docs, {recursive: true})
  writeFileSync(path.join(docs, 'role.md'), seed)
  const child = spawn(process.execPath, [path.join(root, 'dist/bin.js'), 'build', 'docs', '--out', 'data', '--no-cache', '--watch'], {cwd: base})
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const count = (text: string): number => stderr.split(text).length - 1
  const waitFor = async (text: string, times = 1): Promise<void> => {
    const deadline = Date.now() + 30_000
    while (count(text) < times) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`never saw ${JSON.stringify(text)} ${times} times (exit code ${child.exitCode}) in:\n${stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  let builds = 1
  await waitFor('(Ctrl-C to stop)')
  return {
    docs,
    stderr: () => stderr,
    waitFor,
    async rebuiltAfter(change) {
      change()
      await waitFor('roledoc: wrote', ++builds)
    },
    names: () => (JSON.parse(readFileSync(path.join(base, 'data/roles.json'), 'utf8')) as Array<{name: string}>).map((record) => record.name).sort(),
    async stop() {
      child.kill('SIGINT')
      return exited
    },
    exitCode: () => child.exitCode,
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  }
}

const sed = (expression: string, file: string): void => {
  spawnSync('sed', ['-i', expression, file])
}

it('follows files saved by renaming a new file over them, deleted, or made again (#22.6)', {timeout: 240_000}, async () => {
  const watching = await startWatching('saved-by-rename')
  const {docs, rebuiltAfter, names} = watching
  try {
    expect(names()).toEqual(['Partner Tier1 Support'])
    // `sed -i` writes a new file and renames it over the old one: every save is seen.
    for (const title of ['First', 'Second', 'Third']) {
      await rebuiltAfter(() => sed(`s/^title: .*$/title: ${title}/`, path.join(docs, 'role.md')))
      expect(names()).toEqual([title])
    }
    // So does vim (a hidden file renamed over).
    await rebuiltAfter(() => {
      writeFileSync(path.join(docs, '.role.md.swp'), titled('Fourth'))
      renameSync(path.join(docs, '.role.md.swp'), path.join(docs, 'role.md'))
    })
    expect(names()).toEqual(['Fourth'])
    await rebuiltAfter(() => sed('s/^title: Fourth$/title: Fifth/', path.join(docs, 'role.md')))
    expect(names()).toEqual(['Fifth'])

    await rebuiltAfter(() => writeFileSync(path.join(docs, 'other.md'), titled('Other')))
    expect(names()).toEqual(['Fifth', 'Other'])
    await rebuiltAfter(() => rmSync(path.join(docs, 'other.md')))
    expect(names()).toEqual(['Fifth'])
    await rebuiltAfter(() => writeFileSync(path.join(docs, 'other.md'), titled('Other again')))
    expect(names()).toEqual(['Fifth', 'Other again'])
    await rebuiltAfter(() => sed('s/^title: Other again$/title: Other edited/', path.join(docs, 'other.md')))
    expect(names()).toEqual(['Fifth', 'Other edited'])

    expect(await watching.stop()).toBe(0)
    expect(watching.stderr()).toContain('roledoc: stopped watching\n')
  } finally {
    watching.kill()
  }
})

it('says when the watched folder is renamed away or deleted, and watches it again when it is back (#23.7)', {timeout: 240_000}, async () => {
  const watching = await startWatching('folder-gone')
  const {docs, rebuiltAfter, names, waitFor} = watching
  const away = path.join(path.dirname(docs), 'docs-away')
  try {
    renameSync(docs, away)
    await waitFor('roledoc: docs is gone (deleted or renamed); waiting for it to come back\n')
    expect(watching.exitCode()).toBeNull()
    await rebuiltAfter(() => renameSync(away, docs))
    expect(watching.stderr()).toContain('roledoc: docs is back\n')
    await rebuiltAfter(() => sed('s/^title: .*$/title: After the rename/', path.join(docs, 'role.md')))
    expect(names()).toEqual(['After the rename'])

    rmSync(docs, {recursive: true})
    await waitFor('roledoc: docs is gone', 2)
    expect(watching.exitCode()).toBeNull()
    await rebuiltAfter(() => {
      mkdirSync(docs)
      writeFileSync(path.join(docs, 'role.md'), titled('Made again'))
    })
    expect(names()).toEqual(['Made again'])
    await rebuiltAfter(() => sed('s/^title: Made again$/title: Edited again/', path.join(docs, 'role.md')))
    expect(names()).toEqual(['Edited again'])

    // Stopped while the folder is gone: still a clean stop.
    rmSync(docs, {recursive: true})
    await waitFor('roledoc: docs is gone', 3)
    expect(await watching.stop()).toBe(0)
    expect(watching.stderr()).toContain('roledoc: stopped watching\n')
  } finally {
    watching.kill()
  }
})
