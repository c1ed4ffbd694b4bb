/**
 * The driver of `roledoc history`: reads a repository's first-parent
 * commits through git (`driver/git.ts`), compiles each file version once
 * (a blob id is a content hash, so it keys the cache; a version the cache
 * holds is never read from git), assembles each commit's tree as `roledoc
 * build` assembles a folder, and hands the records to the walk
 * (`compare/history.ts`), which compares each commit with the one before.
 *
 * Cost grows with the distinct file versions, not with commits × files:
 * only the files a commit changed are new, and they are compiled in chunks
 * on the compile threads, each chunk's bytes held only while it compiles.
 */
import path from 'node:path'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {inRange, walkHistory, type DateRange, type History, type Snapshot} from '../compare/history.js'
import {assemble, type AssembleUnit} from '../compile/assemble.js'
import type {LooseCompiledFile} from '../compile/compile.js'
import {defaultMaxFileSize} from '../compile/limits.js'
import {compareStrings} from '../compile/messages.js'
import {workerScript} from '../package.js'
import type {DatasetRecord} from '../types.js'
import type {CompileTask} from '../worker.js'
import {BlobReader, commitDate, firstParentLog, listTree, oldestFirstParent, openRepository, resolveCommit, type CommitInfo, type Repository} from './git.js'
import {assertPathsExisted, assertWhole, countVersions, dateRange, isMarkdown, normalizePaths} from './history-checks.js'
import {compiledEntryFor} from './incremental/cache-entries.js'
import {Cache, cacheKey} from './incremental/cache.js'
import {deserializeCompiled, type SerializedCompiled} from './serialize.js'
import {compileOnThreads, defaultFileTimeout, overrunFile, workerHeapMb} from './threads.js'

export {normalizePaths} from './history-checks.js'

export interface HistoryOptions {
  /** The repository's folder. Default: `.` */
  repo?: string
  /** Folder `repo` is relative to. Default: `process.cwd()`. */
  cwd?: string
  /** Folders (or files) to walk, relative to the top of the repository. Default: the whole repository. */
  paths?: readonly string[]
  /** The commit whose first-parent history is walked. Default: `HEAD`. */
  rev?: string
  /** Report commits from this date on (`YYYY-MM-DD`, UTC, or an ISO 8601 time with its offset). */
  since?: string
  /** Report commits up to this date (a day: to its end). */
  until?: string
  /** The persistent cache; `null` or absent for none (unless `cacheDir` names one). */
  cache?: Cache | null
  /** Without `cache`: the cache folder (relative to `cwd`), opened, used and pruned by the walk; `null` or absent for none. */
  cacheDir?: string | null
  /** Worker threads that compile, when the walk has `threadsFrom` or more file versions to compile. Default: 1. */
  workers?: number
  /** Default: 500, as `build`. */
  threadsFrom?: number
  maxFileSize?: number
  fileTimeout?: number
  /** Environment of the git processes. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>
  signal?: AbortSignal
}

export interface HistoryStats {
  /** First-parent commits that touched the paths, in the whole history. */
  commits: number
  /** Distinct file versions (path and blob) the walk needed. */
  fileVersions: number
  /** Of those, compiled now (read from git), and taken from the cache. */
  compiled: number
  cached: number
}

export interface HistoryRun {
  history: History
  /**
   * Errors in the file versions and trees walked, each once, on a file
   * named `<commit>:<path>` (the first commit it was seen in, as
   * `git show` takes it).
   */
  messages: VFileMessage[]
  /** The oldest commit on the first-parent line of the revision: with the paths, what names the history (the Atom feed's id). */
  root: string
  /** The commit walked back from, and its date. */
  head: {sha: string; date: string}
  /** The author of each reported commit, by sha (not part of the JSON; the feed names them). */
  authors: Map<string, string>
  stats: HistoryStats
}

/** File versions compiled in one go; the files of the tree the walk starts from are always in the first. */
const chunkFiles = 1000
/** Bytes read from git before they are compiled. */
const chunkBytes = 32 * 1024 * 1024

/** Walk the history of the role reference in a git repository. */
export async function history(options: HistoryOptions = {}): Promise<HistoryRun> {
  const paths = normalizePaths(options.paths ?? [])
  const range = dateRange(options)
  const cache = options.cache !== undefined ? options.cache : openCache(options)
  const repository = await openRepository(options.repo ?? '.', options.cwd ?? process.cwd(), options.env ? {env: options.env} : {})
  const rev = options.rev ?? 'HEAD'
  const head = await resolveCommit(repository, rev)
  const log = await firstParentLog(repository, head, paths)
  assertPathsExisted(paths, log, rev)
  await assertWhole(repository, head, rev, range)
  const root = await oldestFirstParent(repository, head)
  const headInfo = {sha: head, date: await commitDate(repository, head)}

  const first = log.findIndex((commit) => inRange(commit.date, range))
  const last = log.findLastIndex((commit) => inRange(commit.date, range))
  const stats: HistoryStats = {commits: log.length, fileVersions: 0, compiled: 0, cached: 0}
  const authors = new Map(log.slice(first, last + 1).map((commit) => [commit.sha, commit.author]))
  const done = {root, head: headInfo, authors, stats}
  if (first === -1) return {history: {schemaVersion: 1, paths, commits: []}, messages: [], ...done}

  const start = log[first - 1]
  const baseline = start ? (await listTree(repository, start.sha, paths)).filter((file) => isMarkdown(file.path)) : []
  const walk = new Walk(repository, {...options, cache}, stats, baseline.length + countVersions(log.slice(first, last + 1)))
  try {
    const tree = new Map(baseline.map((file) => [file.path, file.blob]))
    await walk.compile(start?.sha ?? log[first]?.sha ?? head, baseline, [])
    const before = walk.records(start?.sha ?? '', tree)
    const result = await walkHistory(paths, before, walk.snapshots(tree, log.slice(first, last + 1), range))
    return {history: result, messages: walk.messages, ...done}
  } finally {
    walk.close()
    // Entries of other roledoc code (an older version, say) are never read again.
    if (options.cache === undefined) cache?.prune()
  }
}

/** The cache `cacheDir` names, `null` for none. */
function openCache(options: HistoryOptions): Cache | null {
  const folder = options.cacheDir
  return folder === null || folder === undefined ? null : new Cache(path.resolve(options.cwd ?? process.cwd(), folder))
}

/** A file version: a path and the blob it holds there. */
interface Version {
  path: string
  blob: string
}

const versionKey = (version: Version): string => `${version.path}\u0000${version.blob}`

/** What the walk holds: the compiled file versions of the current tree (and of the chunk ahead). */
class Walk {
  readonly messages: VFileMessage[] = []
  private readonly compiled = new Map<string, LooseCompiledFile>()
  private readonly reported = new Set<string>()
  private readonly strings = new Map<string, string>()
  private readonly reader: BlobReader

  constructor(
    repository: Repository,
    private readonly options: HistoryOptions,
    private readonly stats: HistoryStats,
    /** About how many file versions the walk compiles (the cache aside): how many threads are worth starting. */
    private readonly expected: number
  ) {
    this.reader = new BlobReader(repository)
  }

  close(): void {
    this.reader.close()
  }

  /** The records of each commit's tree, compiling its new file versions a chunk of commits ahead. */
  async *snapshots(tree: Map<string, string>, commits: readonly CommitInfo[], range: DateRange): AsyncGenerator<Snapshot> {
    let records: readonly DatasetRecord[] | undefined
    let index = 0
    while (index < commits.length) {
      const chunk = this.plan(tree, commits, index)
      await this.compile(chunk.commits[0]?.sha ?? '', [], chunk.commits)
      for (const commit of chunk.commits) {
        const files = commit.files.filter((file) => isMarkdown(file.path))
        for (const file of files) {
          if (file.blob === null) tree.delete(file.path)
          else tree.set(file.path, file.blob)
        }
        if (files.length > 0 || records === undefined) records = this.records(commit.sha, tree)
        yield {commit: {sha: commit.sha, date: commit.date, subject: commit.subject}, records, reported: inRange(commit.date, range)}
      }
      index += chunk.commits.length
      this.evict(tree)
    }
  }

  /** The commits from `index` whose new file versions make up the next chunk (at least one commit). */
  private plan(tree: ReadonlyMap<string, string>, commits: readonly CommitInfo[], index: number): {commits: CommitInfo[]} {
    const planned: CommitInfo[] = []
    const seen = new Set<string>()
    for (let next = index; next < commits.length; next++) {
      const commit = commits[next] as CommitInfo
      for (const file of commit.files) {
        if (file.blob !== null && isMarkdown(file.path) && tree.get(file.path) !== file.blob) seen.add(versionKey({path: file.path, blob: file.blob}))
      }
      planned.push(commit)
      if (seen.size >= chunkFiles) break
    }
    return {commits: planned}
  }

  /** Compile (or take from the cache) the versions of `files` and those the `commits` bring, each once. */
  async compile(sha: string, files: readonly Version[], commits: readonly CommitInfo[]): Promise<void> {
    const wanted: Array<Version & {display: string}> = []
    const keys = new Set<string>()
    const add = (version: Version, commit: string): void => {
      const key = versionKey(version)
      if (this.compiled.has(key) || keys.has(key)) return
      keys.add(key)
      wanted.push({...version, display: `${commit.slice(0, 7)}:${version.path}`})
    }
    for (const file of files) add(file, sha)
    for (const commit of commits) {
      for (const file of commit.files) if (file.blob !== null && isMarkdown(file.path)) add({path: file.path, blob: file.blob}, commit.sha)
    }
    this.stats.fileVersions += wanted.length
    const misses: Array<Version & {display: string}> = []
    for (const item of wanted) {
      const hit = this.cached(item)
      if (hit) this.keep(item, deserializeCompiled(hit.compiled, item.display, this.strings))
      else misses.push(item)
    }
    this.stats.cached += wanted.length - misses.length
    for (let start = 0; start < misses.length; ) start = await this.compileSome(misses, start)
    // In the order of the walk, whatever order the threads finished in.
    for (const item of wanted) {
      for (const message of this.compiled.get(versionKey(item))?.messages ?? []) if (message.fatal === true) this.messages.push(message)
    }
  }

  /** Read from `start` up to `chunkBytes` of blobs, compile them on threads; returns where the next batch starts. */
  private async compileSome(misses: ReadonlyArray<Version & {display: string}>, start: number): Promise<number> {
    const batch: Array<{item: Version & {display: string}; bytes: Uint8Array}> = []
    let bytes = 0
    let next = start
    while (next < misses.length && bytes < chunkBytes) {
      const slice = misses.slice(next, next + 64)
      const contents = await this.reader.read(slice.map((item) => item.blob))
      for (const [offset, content] of contents.entries()) {
        batch.push({item: slice[offset] as Version & {display: string}, bytes: content})
        bytes += content.length
      }
      next += slice.length
    }
    this.options.signal?.throwIfAborted()
    const maxFileSize = this.options.maxFileSize ?? defaultMaxFileSize
    const fileTimeout = this.options.fileTimeout ?? defaultFileTimeout
    const threads = this.expected < (this.options.threadsFrom ?? 500) ? 1 : Math.max(1, Math.floor(this.options.workers ?? 1))
    const load = (entry: (typeof batch)[number]): CompileTask => ({display: entry.item.display, sourcePath: entry.item.path, bytes: entry.bytes, maxFileSize})
    const done = async (entry: (typeof batch)[number], result: SerializedCompiled): Promise<void> => {
      const sha256 = result.record?.source.sha256 ?? result.reference?.source.sha256
      if (this.options.cache && sha256) await this.options.cache.set(this.cacheKeyOf(entry.item), {blob: entry.item.blob, sha256, compiled: result})
      this.keep(entry.item, deserializeCompiled(result, entry.item.display, this.strings))
    }
    const overran = (entry: (typeof batch)[number], limit: 'time' | 'memory'): void =>
      this.keep(entry.item, overrunFile(entry.item.display, limit, {fileTimeout, heapMb: workerHeapMb}))
    await compileOnThreads({items: batch, load, done, overran}, {threads, script: workerScript, fileTimeout, heapMb: workerHeapMb, signal: this.options.signal})
    this.stats.compiled += batch.length
    return next
  }

  private cacheKeyOf(version: Version): string {
    return cacheKey('history-blob', version.path, this.options.maxFileSize ?? defaultMaxFileSize, version.blob)
  }

  /** The cache's entry for a version: valid for its blob and its path (see `build/cache-entries.ts`). */
  private cached(version: Version): BlobEntry | undefined {
    const cache = this.options.cache
    if (!cache) return undefined
    return cache.getSync(this.cacheKeyOf(version), (value): value is BlobEntry => isBlobEntry(value, version))
  }

  private keep(version: Version, compiled: LooseCompiledFile): void {
    this.compiled.set(versionKey(version), compiled)
  }

  /** Forget the versions the tree no longer holds. */
  private evict(tree: ReadonlyMap<string, string>): void {
    for (const key of this.compiled.keys()) {
      const [path = '', blob] = key.split('\u0000')
      if (tree.get(path) !== blob) this.compiled.delete(key)
    }
  }

  /** The records of a tree, assembled as `roledoc build` assembles a folder; new errors of assembly are kept, each once. */
  records(sha: string, tree: ReadonlyMap<string, string>): DatasetRecord[] {
    const units: AssembleUnit[] = []
    const views: CommitView[] = []
    for (const path of [...tree.keys()].sort(compareStrings)) {
      const compiled = this.compiled.get(versionKey({path, blob: tree.get(path) ?? ''}))
      if (!compiled) continue
      const view = new CommitView(compiled, `${sha.slice(0, 7)}:${path}`)
      views.push(view)
      units.push({root: '', compiled: view})
    }
    const records = assemble(units)
    for (const view of views) {
      for (const message of view.reported) {
        const key = `${message.file?.slice(8)}\u0000${message.line}:${message.column}\u0000${message.ruleId}\u0000${message.reason}`
        if (message.fatal !== true || this.reported.has(key)) continue
        this.reported.add(key)
        this.messages.push(message)
      }
    }
    return records
  }
}

/** A compiled file as one commit's assembly sees it: its own VFile for what assembly reports, made only then. */
class CommitView implements LooseCompiledFile {
  readonly kind: LooseCompiledFile['kind']
  readonly record: LooseCompiledFile['record']
  readonly reference: LooseCompiledFile['reference']
  readonly messages: VFileMessage[] = []
  private made: VFile | undefined

  constructor(
    compiled: LooseCompiledFile,
    private readonly path: string
  ) {
    this.kind = compiled.kind
    this.record = compiled.record
    this.reference = compiled.reference
  }

  get file(): VFile {
    return (this.made ??= new VFile({path: this.path}))
  }

  get reported(): VFileMessage[] {
    return this.made?.messages ?? []
  }
}

/** A compiled file version in the cache, keyed by its blob. */
interface BlobEntry {
  blob: string
  sha256: string
  compiled: SerializedCompiled
}

function isBlobEntry(value: unknown, version: Version): value is BlobEntry {
  if (typeof value !== 'object' || value === null) return false
  const entry = value as Record<string, unknown>
  if (entry['blob'] !== version.blob || typeof entry['sha256'] !== 'string' || !/^[\da-f]{64}$/.test(entry['sha256'])) return false
  return compiledEntryFor({path: version.path, sha256: entry['sha256']})(entry['compiled'])
}

