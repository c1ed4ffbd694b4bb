/**
 * Reading a git repository through the `git` command, and nothing else:
 * `git log` for the first-parent commits that touched some paths (with the
 * blob of each file they changed), `git ls-tree` for a commit's files, and
 * one `git cat-file --batch` for the bytes of blobs. No checkout, no work
 * tree, no index, no ref, nothing written into the repository (optional
 * locks off). Every problem with the run itself (no git, not a repository,
 * an unknown revision) is a `UsageError` (exit 2) that says what to do.
 */
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'
import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import {UsageError} from './errors.js'

/** The oldest git whose `--diff-merges=first-parent` roledoc relies on. */
const minimumGit = [2, 31] as const

export interface GitOptions {
  /** Environment of the `git` processes (`PATH` finds git). Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>
}

/** An open repository: the folder `git -C` runs in, and its name as given. */
export interface Repository {
  folder: string
  display: string
  env: Record<string, string | undefined>
}

/** A file a commit added, changed or deleted: its new blob, `null` when deleted. */
export interface FileChange {
  path: string
  blob: string | null
}

/** One first-parent commit, as `git log` tells it. */
export interface CommitInfo {
  sha: string
  /** Committer date, strict ISO 8601 (`%cI`). */
  date: string
  author: string
  subject: string
  /** The files it changed against its first parent (blobs only: no submodules, no symbolic links). */
  files: FileChange[]
}

/** A file of a commit's tree. */
export interface TreeFile {
  path: string
  blob: string
}

/** Check that git runs and that `input` (relative to `cwd`) is a repository; resolve nothing else. */
export async function openRepository(input: string, cwd: string, options: GitOptions = {}): Promise<Repository> {
  const folder = path.resolve(cwd, input)
  const env = {...(options.env ?? process.env), GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C'}
  const repository: Repository = {folder, display: input, env}
  await checkGitVersion(repository)
  let stats
  try {
    stats = await stat(folder)
  } catch {
    throw new UsageError(`Not found: ${input}; pass the folder of a git repository (a clone of entra-docs or azure-docs)`)
  }
  if (!stats.isDirectory()) throw new UsageError(`${input} is not a folder; pass the folder of a git repository`)
  const result = await runGit(repository, ['rev-parse', '--git-dir'])
  if (result.code !== 0) {
    throw new UsageError(`${input} is not a git repository (git: ${firstLine(result.stderr)}); pass the folder of a clone, for example \`git clone --filter=blob:none --sparse https://github.com/MicrosoftDocs/entra-docs\``, {help: false})
  }
  return repository
}

async function checkGitVersion(repository: Repository): Promise<void> {
  let result: GitResult
  try {
    result = await runGit(repository, ['--version'], {cwd: process.cwd()})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UsageError(`git was not found (no \`git\` command on PATH); install git ${minimumGit.join('.')} or later`, {help: false})
    }
    throw error
  }
  const match = /(\d+)\.(\d+)/.exec(result.stdout)
  const [major, minor] = [Number(match?.[1] ?? 0), Number(match?.[2] ?? 0)]
  if (major < minimumGit[0] || (major === minimumGit[0] && minor < minimumGit[1])) {
    throw new UsageError(`${result.stdout.trim() || 'git'} is too old; roledoc history needs git ${minimumGit.join('.')} or later`, {help: false})
  }
}

/** The top folder of the repository's work tree (real path); `null` for a bare repository. */
export async function topLevel(repository: Repository): Promise<string | null> {
  const result = await runGit(repository, ['rev-parse', '--show-toplevel'])
  const top = result.stdout.trim()
  return result.code === 0 && top !== '' ? top : null
}

/** The commit `rev` names (a branch, tag or commit). */
export async function resolveCommit(repository: Repository, rev: string): Promise<string> {
  if (rev.startsWith('-')) throw new UsageError(`\`--rev ${rev}\` is not a revision; name a branch, tag or commit`)
  const result = await runGit(repository, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])
  const sha = result.stdout.trim()
  if (result.code !== 0 || sha === '') {
    throw new UsageError(`${repository.display} has no commit \`${rev}\`; name a branch, tag or commit of it (see \`git log\`)`, {help: false})
  }
  return sha
}

/**
 * The first-parent commits of `commit` that changed anything under
 * `paths` (the whole repository when empty), oldest first, each with the
 * files it changed against its first parent (merges too).
 */
export async function firstParentLog(repository: Repository, commit: string, paths: readonly string[]): Promise<CommitInfo[]> {
  const result = await runGit(repository, [
    'log', '--first-parent', '--diff-merges=first-parent', '--raw', '--no-renames', '--no-abbrev', '-z',
    '--format=%H%x00%cI%x00%aN%x00%s', commit, '--', ...pathspecs(paths)
  ])
  if (result.code !== 0) throw gitFailed(repository, 'git log', result)
  return parseLog(result.stdout).reverse()
}

/** Parse `git log -z --raw` with the header `%H%x00%cI%x00%aN%x00%s`. */
export function parseLog(output: string): CommitInfo[] {
  const tokens = output.split('\0')
  const commits: CommitInfo[] = []
  let index = 0
  while (index < tokens.length) {
    const sha = (tokens[index] ?? '').replace(/^\n+/, '')
    if (sha === '') {
      index++
      continue
    }
    const commit: CommitInfo = {sha, date: tokens[index + 1] ?? '', author: tokens[index + 2] ?? '', subject: tokens[index + 3] ?? '', files: []}
    index += 4
    for (;;) {
      const meta = (tokens[index] ?? '').replace(/^\n+/, '')
      if (!meta.startsWith(':')) break
      const [, newMode = '', , newBlob = ''] = meta.slice(1).split(' ')
      const filePath = tokens[index + 1] ?? ''
      index += 2
      const status = meta.slice(meta.lastIndexOf(' ') + 1)
      if (status.startsWith('D')) commit.files.push({path: filePath, blob: null})
      else if (isBlobMode(newMode)) commit.files.push({path: filePath, blob: newBlob})
      // A file that became a symbolic link or a submodule is gone as a file.
      else commit.files.push({path: filePath, blob: null})
    }
    commits.push(commit)
  }
  return commits
}

/** The files of `commit` under `paths` (the whole tree when empty). */
export async function listTree(repository: Repository, commit: string, paths: readonly string[]): Promise<TreeFile[]> {
  const result = await runGit(repository, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...pathspecs(paths)])
  if (result.code !== 0) throw gitFailed(repository, 'git ls-tree', result)
  const files: TreeFile[] = []
  for (const entry of result.stdout.split('\0')) {
    const tab = entry.indexOf('\t')
    if (tab === -1) continue
    const [mode = '', type = '', blob = ''] = entry.slice(0, tab).split(' ')
    if (type === 'blob' && isBlobMode(mode)) files.push({path: entry.slice(tab + 1), blob})
  }
  return files
}

/** A regular file (not a symbolic link, not a submodule). */
function isBlobMode(mode: string): boolean {
  return mode === '100644' || mode === '100755'
}

/** `--path` values as literal pathspecs from the top of the tree. */
function pathspecs(paths: readonly string[]): string[] {
  return paths.map((value) => `:(top,literal)${value}`)
}

/**
 * When the repository is a shallow clone whose history of `commit` is cut
 * (its oldest first-parent commit has parents git does not have): that
 * commit and its date; else `null`.
 */
export async function shallowEnd(repository: Repository, commit: string): Promise<{sha: string; date: string} | null> {
  const shallow = await runGit(repository, ['rev-parse', '--is-shallow-repository'])
  if (shallow.stdout.trim() !== 'true') return null
  const file = await runGit(repository, ['rev-parse', '--git-path', 'shallow'])
  let cut: Set<string>
  try {
    cut = new Set((await readFile(path.resolve(repository.folder, file.stdout.trim()), 'utf8')).split('\n').filter((line) => line !== ''))
  } catch {
    return null
  }
  const tail = await oldestFirstParent(repository, commit)
  if (!cut.has(tail)) return null
  return {sha: tail, date: await commitDate(repository, tail)}
}

/** The committer date of `commit`, strict ISO 8601. */
export async function commitDate(repository: Repository, commit: string): Promise<string> {
  const result = await runGit(repository, ['log', '-1', '--format=%cI', commit])
  if (result.code !== 0) throw gitFailed(repository, 'git log', result)
  return result.stdout.trim()
}

/** The oldest commit on the first-parent line of `commit` (its root, or where a shallow clone ends). */
export async function oldestFirstParent(repository: Repository, commit: string): Promise<string> {
  const result = await runGit(repository, ['rev-list', '--first-parent', '--max-parents=0', commit])
  if (result.code !== 0) throw gitFailed(repository, 'git rev-list', result)
  return result.stdout.trim().split('\n').at(-1) ?? commit
}

/**
 * Reads blobs through one `git cat-file --batch`, a list at a time. In a
 * partial clone git fetches a blob it lacks when it is asked for it.
 */
export class BlobReader {
  private process: ChildProcessWithoutNullStreams | undefined
  private buffered: Buffer = Buffer.alloc(0)
  private waiting: (() => void) | undefined
  private ended: Error | undefined
  private stderr = ''
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly repository: Repository) {}

  /** The bytes of each of `blobs`, in order; a blob git does not have is an error (exit 2). */
  read(blobs: readonly string[]): Promise<Buffer[]> {
    const next = this.queue.then(() => this.readNow(blobs))
    this.queue = next.catch(() => {})
    return next
  }

  close(): void {
    this.process?.stdin.end()
    this.process = undefined
  }

  private async readNow(blobs: readonly string[]): Promise<Buffer[]> {
    const child = this.start()
    child.stdin.write(blobs.map((blob) => `${blob}\n`).join(''))
    const results: Buffer[] = []
    for (const blob of blobs) {
      const header = await this.take(-1)
      const [name, type, size] = header.toString('utf8').split(' ')
      if (name !== blob || type !== 'blob' || size === undefined) {
        throw new UsageError(`${this.repository.display} lacks the file version ${blob} (git cat-file: \`${header.toString('utf8')}\`); fetch it (\`git fetch\`) and run again`, {help: false})
      }
      const content = await this.take(Number(size) + 1)
      results.push(content.subarray(0, content.length - 1))
    }
    return results
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.process) return this.process
    const child = spawn('git', ['-C', this.repository.folder, 'cat-file', '--batch'], {env: this.repository.env})
    child.stdout.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk])
      this.wake()
    })
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')))
    child.on('error', (error) => this.fail(error))
    child.on('close', (code) => this.fail(new UsageError(`git cat-file stopped (exit code ${code}): ${firstLine(this.stderr)}`, {help: false})))
    this.process = child
    return child
  }

  /** The next `length` bytes, or (`-1`) the next line without its end. */
  private async take(length: number): Promise<Buffer> {
    for (;;) {
      if (length === -1) {
        const end = this.buffered.indexOf(10)
        if (end !== -1) return this.slice(end + 1).subarray(0, end)
      } else if (this.buffered.length >= length) {
        return this.slice(length)
      }
      if (this.ended) throw this.ended
      await new Promise<void>((resolve) => (this.waiting = resolve))
    }
  }

  private slice(length: number): Buffer {
    const part = this.buffered.subarray(0, length)
    this.buffered = this.buffered.subarray(length)
    return part
  }

  private wake(): void {
    const waiting = this.waiting
    this.waiting = undefined
    waiting?.()
  }

  private fail(error: Error): void {
    this.ended ??= error
    this.wake()
  }
}

interface GitResult {
  code: number
  stdout: string
  stderr: string
}

/** Run git in the repository's folder; rejects only when git cannot start. */
function runGit(repository: Repository, args: readonly string[], options: {cwd?: string} = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', options.cwd ? [...args] : ['-C', repository.folder, ...args], {env: repository.env, stdio: ['ignore', 'pipe', 'pipe'], ...(options.cwd ? {cwd: options.cwd} : {})})
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8')}))
  })
}

function gitFailed(repository: Repository, command: string, result: GitResult): UsageError {
  return new UsageError(`${command} failed in ${repository.display}: ${firstLine(result.stderr)}`, {help: false})
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? ''
}
