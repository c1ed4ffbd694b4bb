/**
 * roledoc's behaviour pinned byte for byte, through the command line that
 * users run (`node dist/bin.js`, whatever the source tree looks like): the
 * SHA-256 of every output file, of standard output and standard error, and
 * the exit code of each command in `test/behaviour/commands.ts`. The hashes in
 * `test/behaviour/hashes.json` were recorded on the tree before the redesign
 * of #24 (commit 60cb76c), so this test shows that moving the code changed
 * nothing a user gets. Record them again only for a change of behaviour
 * made on purpose, and say so: `ROLEDOC_BEHAVIOUR_RECORD=1 npx vitest run
 * test/behaviour.test.ts`.
 *
 * The explorer page's client script is being rewritten apart (src/site/):
 * in `site/index.html` the text of its `<script>` element is replaced by
 * `CLIENT`, and its hash in the page's policy by `sha256-CLIENT`, after
 * checking that the policy allows exactly that script; every other byte of
 * the page is pinned, and the page's entry in `manifest.json` is that of
 * the page without its client.
 *
 * The hashes alone say nothing a reader can check: the facts at the end are
 * checked against the sources.
 */
import {execFile} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {folderLink} from '../src/driver/source-links.js'
import {behaviourCommands, prepareWork, type BehaviourCommand} from './behaviour/commands.js'
import {reference, root} from './helpers/paths.js'

const hashesFile = path.join(root, 'test/behaviour/hashes.json')
const recording = process.env['ROLEDOC_BEHAVIOUR_RECORD'] === '1'

/** What a command gave: its exit code, and the SHA-256 of its output and of each file it wrote. */
interface Outcome {
  command: string
  exitCode: number
  stdout: string
  stderr: string
  /** Posix path in the output folder → SHA-256 (the explorer page without its client script). */
  files?: Record<string, string>
}

/** The outputs themselves, for the facts below. */
interface Run {
  exitCode: number
  stdout: string
  stderr: string
  folder: string | null
}

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-behaviour-'))
const outcomes = new Map<string, Outcome>()
const runs = new Map<string, Run>()

/** Commands run at once (each is a process; a build compiles on a thread of its own). */
const concurrency = 2

beforeAll(async () => {
  prepareWork(work)
  const commands = behaviourCommands(work)
  const finished = new Map<string, Promise<void>>()
  let next = 0
  // Two at a time, in order, each after the command it reads the output of.
  const lane = async (): Promise<void> => {
    while (next < commands.length) {
      const command = commands[next++] as BehaviourCommand
      const done = (async () => {
        if (command.after !== undefined) await finished.get(command.after)
        const run = await runCommand(command)
        runs.set(command.name, run)
        outcomes.set(command.name, outcomeOf(command, run))
      })()
      finished.set(command.name, done)
      await done
    }
  }
  await Promise.all(Array.from({length: concurrency}, lane))
  if (recording) {
    const ordered = Object.fromEntries(commands.map((command) => [command.name, outcomes.get(command.name)]))
    writeFileSync(hashesFile, JSON.stringify(ordered, null, 2) + '\n')
  }
}, 600_000)

afterAll(() => rmSync(work, {recursive: true, force: true}))

function runCommand(command: BehaviourCommand): Promise<Run> {
  const folder = command.out ?? null
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'dist/bin.js'), ...command.argv], {cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024}, (error, stdout, stderr) => {
      const exitCode = error ? Number((error as {code?: unknown}).code ?? -1) : 0
      resolve({exitCode, stdout, stderr, folder})
    })
  })
}

function outcomeOf(command: BehaviourCommand, run: Run): Outcome {
  // The temporary folder's path differs from run to run: it is named `<work>`.
  const text = (value: string): string => sha256(value.split(work).join('<work>'))
  const outcome: Outcome = {command: `roledoc ${command.argv.join(' ').split(work).join('<work>')}`, exitCode: run.exitCode, stdout: text(run.stdout), stderr: text(run.stderr)}
  if (run.folder !== null && existsSync(run.folder)) {
    const files: Record<string, string> = {}
    const page = existsSync(path.join(run.folder, 'site/index.html')) ? withoutClient(readFileSync(path.join(run.folder, 'site/index.html'), 'utf8')) : null
    for (const name of listFiles(run.folder)) {
      const text = readFileSync(path.join(run.folder, name), 'utf8')
      files[name] = sha256(name === 'site/index.html' && page !== null ? page : name === 'manifest.json' && page !== null ? withPage(text, page) : text)
    }
    outcome.files = files
  }
  return outcome
}

function listFiles(folder: string): string[] {
  return readdirSync(folder, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort()
}

/** The page with its client script's text replaced by `CLIENT`, once the policy is seen to allow exactly that script. */
function withoutClient(html: string): string {
  const start = html.lastIndexOf('<script>')
  const end = html.indexOf('</script>', start)
  expect(start).toBeGreaterThan(0)
  const script = html.slice(start + '<script>'.length, end)
  const allowed = `sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}`
  expect(html).toContain(`script-src '${allowed}'`)
  return (html.slice(0, start) + '<script>CLIENT' + html.slice(end)).replace(allowed, 'sha256-CLIENT')
}

/** The manifest with the page's entry for the page without its client script: the manifest lists the page's size and SHA-256. */
function withPage(manifest: string, page: string): string {
  const parsed = JSON.parse(manifest) as {files: Array<{path: string; size: number; sha256: string}>}
  const entry = parsed.files.find((file) => file.path === 'site/index.html')
  expect(entry).toBeDefined()
  if (entry) Object.assign(entry, {size: Buffer.byteLength(page), sha256: sha256(page)})
  return JSON.stringify(parsed, null, 2) + '\n'
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

const recorded = existsSync(hashesFile) ? (JSON.parse(readFileSync(hashesFile, 'utf8')) as Record<string, Outcome>) : {}

describe.skipIf(recording)('behaviour, byte for byte as recorded before the redesign', () => {
  it('runs exactly the recorded commands', () => {
    expect(behaviourCommands(work).map((command) => command.name)).toEqual(Object.keys(recorded))
  })

  for (const command of behaviourCommands(work)) {
    it(command.name, () => {
      expect(outcomes.get(command.name)).toEqual(recorded[command.name])
    })
  }
})

describe('facts behind the hashes', () => {
  const run = (name: string): Run => {
    const found = runs.get(name)
    if (!found) throw new Error(`no command ${name}`)
    return found
  }

  it('the real reference folder compiles to 139 roles and 2 fragments, with the explorer page', () => {
    const corpus = run('build the real reference folder with --site')
    expect(corpus.exitCode).toBe(0)
    const folder = corpus.folder ?? ''
    const index = JSON.parse(readFileSync(path.join(folder, 'index.json'), 'utf8')) as {totals: {roles: number; fragments: number}}
    expect(index.totals).toMatchObject({roles: 139, fragments: 2})
    const files = listFiles(folder)
    // Two files per record, the six combined files (roles.json, fragments.json, roles.ndjson, actions.json, actions.csv, index.json), the manifest and the page.
    expect(files).toHaveLength(2 * 141 + 6 + 1 + 1)
    // Roles and fragments in their own files (#25).
    expect(files.filter((name) => name.startsWith('fragments/'))).toEqual([
      'fragments/authentication-table-include.json',
      'fragments/authentication-table-include.yaml',
      'fragments/privileged-roles-permissions.json',
      'fragments/privileged-roles-permissions.yaml'
    ])
    const roles = JSON.parse(readFileSync(path.join(folder, 'roles.json'), 'utf8')) as Array<{kind: string; permissions: unknown[]}>
    expect(roles).toHaveLength(139)
    expect(roles.every((role) => role.kind === 'role' && Array.isArray(role.permissions))).toBe(true)
    expect(files).toContain('site/index.html')
    expect(corpus.stderr).toContain(`roledoc: wrote ${files.length} files to`)
    // Without --site-base-url the page links the Markdown files only when the output folder (in the
    // temporary folder) and the reference folder share a folder other than `/`: here they do not, so
    // the page, and its hash, hold no path. A TMPDIR beside the corpus would change the hash, and fail here.
    const page = readFileSync(path.join(folder, 'site/index.html'), 'utf8')
    expect(folderLink(path.join(folder, 'site'), reference), 'TMPDIR and the corpus share a folder').toBeNull()
    expect(page).toContain('"sourceFolders":[]')
  })

  it('the reference folders with errors write nothing and exit 1', () => {
    for (const name of ['conflicts', 'stray-rows']) {
      const failed = run(`build test/reference/${name}`)
      expect(failed.exitCode, name).toBe(1)
      expect(failed.stderr, name).toContain('roledoc: nothing written to')
      expect(existsSync(failed.folder ?? ''), name).toBe(false)
    }
  })

  it('the edited copy of the reference folder differs from it by the edits made', () => {
    const diff = JSON.parse(run('diff the reference folder and an edited copy (json)').stdout) as {changes: Array<{kind: string; role: {id: string}; action?: string}>}
    const kinds = diff.changes.map((change) => `${change.role.id} ${change.kind}${change.action ? ` ${change.action}` : ''}`)
    expect(kinds).toEqual(
      expect.arrayContaining([
        'application-administrator permission-removed microsoft.azure.serviceHealth/allEntities/allTasks',
        'application-administrator permission-added microsoft.directory/roledocBehaviour/test/update',
        'application-administrator ms-date',
        'helpdesk-administrator permission-privileged microsoft.directory/users/password/update',
        'helpdesk-administrator callout-added'
      ])
    )
  })

  it('the hand-written drift case reports 11 differences', () => {
    const drift = JSON.parse(run('drift test/drift/docs (json)').stdout) as {summary: {total: number}}
    expect(drift.summary.total).toBe(11)
    expect(run('drift test/drift/docs (text)').stdout).toContain('sample-admin.md:21:3')
  })
})
