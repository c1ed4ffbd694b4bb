/**
 * The build driver: the only module (with the CLI) that touches the file
 * system. Finds the input files, compiles each with `compileRole`, and writes
 * the dataset by swapping in a complete folder.
 */
import assert from 'node:assert/strict'
import {createHash, randomBytes} from 'node:crypto'
import {closeSync, existsSync, fstatSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, readFileSync, realpathSync, rmdirSync, rmSync, statSync, unlinkSync, watch, writeSync, type FSWatcher} from 'node:fs'
import {lstat, mkdir, readdir, readFile, rename, rm, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {assemble, type AssembleUnit} from './assemble.js'
import {cacheKey, cacheKeyOf, type Cache} from './cache.js'
import type {CompiledFile} from './compile.js'
import {defaultMaxFileSize} from './limits.js'
import {deserializeCompiled, deserializeMessages, isSerializedCompiled, serializeMessage, type SerializedCompiled} from './serialize.js'
import type {CompileTask} from './worker.js'
import {datasetFiles, emitDataset, fileText, filesOf, type Dataset, type DatasetFile, type DatasetFormat, type RecordPart} from './emit/dataset.js'
import {compareMessages, compareStrings, report, severityOf, type ReportOptions, type RuleId} from './messages.js'
import type {DatasetRecord} from './types.js'
import {version as packageVersion} from './version.js'

export interface BuildOptions {
  /** Files or folders to compile. Default: `['fixtures']`. */
  inputs?: readonly string[]
  /** Folder paths are resolved against and messages are shown relative to. Default: `process.cwd()`. */
  cwd?: string
  /** Version written to `index.json`. Default: this package's version. */
  version?: string
  /** Which dataset files to write (`index.json` always is). Default: all. */
  formats?: readonly DatasetFormat[]
  /** Files larger than this many bytes are skipped. Default: 1 MiB. */
  maxFileSize?: number
  /** Called after each file is compiled, with the count so far and the total. */
  onProgress?: (done: number, total: number) => void
  /** How many worker threads compile files, when there are at least `threadsFrom` to compile. Default: 1. */
  workers?: number
  /** Below this many files to compile, they are compiled on the main thread instead. Default: 500. */
  threadsFrom?: number
  /** The persistent cache; `null` or absent for none. */
  cache?: Cache | null
  /**
   * An output folder: when the cache says it holds exactly the dataset these
   * inputs give, skip the work (see `BuildResult.upToDate`).
   */
  reuse?: string
  /** Aborting it stops compiling between batches (the build rejects with an `AbortError`). */
  signal?: AbortSignal
}

export interface InputFile {
  /** Absolute path. */
  absolute: string
  /** Posix path relative to `cwd`, as messages show it. */
  display: string
  /** The input as given, posix, relative to `cwd`. */
  input: string
  /** The input root: the folder given, or a file input's folder (posix, relative to `cwd`). */
  root: string
  /** Posix path relative to the input root (the folder given, or the file's folder). */
  sourcePath: string
  /** Why the file is not read, when it is not: a link out of the root, or a broken link. */
  unreadable?: {ruleId: 'include-outside-root' | 'unparseable'; reason: string}
}

export interface CompileStats {
  parsed: number
  cached: number
  threads: number
}

export interface BuildSummary {
  files: number
  roles: number
  fragments: number
  references: number
  skipped: number
  permissions: number
  privilegedPermissions: number
}

export interface BuildResult {
  records: DatasetRecord[]
  messages: VFileMessage[]
  /** Every output file, each made when it is read or written (what `writeDataset` streams). */
  files: DatasetFile[]
  /** The same files as text, made on first access (for a big corpus, prefer `files`). */
  readonly dataset: Dataset
  summary: BuildSummary
  /** A hash of everything the dataset is made from (inputs, options, roledoc's code). */
  datasetKey: string
  /** How the files were compiled: how many were parsed, how many came from the cache, on how many worker threads (0: the main thread). */
  stats: CompileStats
  /**
   * Set when `reuse` was given and that folder already holds this very
   * dataset, untouched since roledoc wrote it: nothing was compiled, and
   * `records`, `files` and `dataset` are empty (messages and summary are those of the
   * build that wrote it).
   */
  upToDate?: true
}

/** A problem with the run itself (a missing input, an unsafe output folder): exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** Find every Markdown file under `inputs`, sorted by path. */
export async function findInputs(inputs: readonly string[], cwd: string): Promise<InputFile[]> {
  return uniqueInputs(inputs, cwd).sort((a, b) => compareStrings(a.display, b.display))
}

/**
 * Every Markdown file under `inputs`, in walk order: the inputs as given,
 * each folder walked in name order. One at a time, so that a caller need not
 * hold them all.
 */
function* walkInputs(inputs: readonly string[], cwd: string): Generator<InputFile> {
  for (const input of inputs) {
    const absolute = path.resolve(cwd, input)
    const given = toPosix(path.relative(cwd, absolute)) || '.'
    let stats
    try {
      stats = statSync(absolute)
    } catch {
      throw new UsageError(`Input not found: ${input}; pass a Markdown file or a folder of them`)
    }
    if (stats.isDirectory()) {
      const root = realpathSync(absolute)
      // A file's paths from the folder's, which is `given`: no `path.relative` for each of thousands of files.
      for (const {file, unreadable} of walk(absolute, root)) {
        const sourcePath = toPosix(relativePath(absolute, file))
        const display = given === '.' ? sourcePath : `${given}/${sourcePath}`
        yield {absolute: file, display, input: given, root: given, sourcePath, ...(unreadable ? {unreadable} : {})}
      }
    } else {
      const folder = path.dirname(absolute)
      yield {absolute, display: given, input: given, root: toPosix(path.relative(cwd, folder)) || '.', sourcePath: path.basename(absolute)}
    }
  }
}

/** The files of `walkInputs`, each once: where it was first reached, as it was last reached. */
function uniqueInputs(inputs: readonly string[], cwd: string): InputFile[] {
  const unique = new Map<string, InputFile>()
  for (const file of walkInputs(inputs, cwd)) unique.set(file.absolute, file)
  return [...unique.values()]
}

/** Compile `inputs` in memory: records, messages and the dataset to write. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd()
  const inputs = options.inputs ?? ['fixtures']
  const maxFileSize = options.maxFileSize ?? defaultMaxFileSize
  const cache = options.cache ?? null
  const version = options.version ?? packageVersion
  const keyOf = (reads: Iterable<[InputFile, InputRead]>): string => datasetKeyOf(version, options.formats ?? null, maxFileSize, reads)
  let walked: InputFile[] | undefined
  let streamed: StreamedReads | undefined
  if (cache && options.reuse !== undefined) {
    const folder = path.resolve(cwd, options.reuse)
    const previous = await cache.get(manifestKey(folder), isManifest)
    if (previous) {
      // One input (a folder or a file) reaches no file twice, so its files
      // are read and hashed as they are found, and of each only its read is
      // kept. Several inputs are listed first, to key each file once.
      if (inputs.length > 1) walked = uniqueInputs(inputs, cwd)
      streamed = streamReads(walked ?? walkInputs(inputs, cwd), maxFileSize, keyOf)
      if (streamed.datasetKey === previous.datasetKey && outputMatches(folder, previous)) {
        const messages = previous.messages.flatMap((item) => deserializeMessages(item.messages, item.file).messages)
        const stats = {parsed: 0, cached: 0, threads: 0}
        return {records: [], messages, files: [], dataset: new Map(), summary: previous.summary, datasetKey: streamed.datasetKey, stats, upToDate: true}
      }
    }
  }
  const {files, reads, datasetKey} = readInputs(walked ?? uniqueInputs(inputs, cwd), maxFileSize, cache !== null, keyOf, streamed)

  const {compiled, stats} = await compileInputs(files, reads, {
    maxFileSize,
    workers: Math.max(1, Math.floor(options.workers ?? 1)),
    threadsFrom: options.threadsFrom ?? defaultThreadsFrom,
    cache,
    onProgress: (done) => options.onProgress?.(done, files.length),
    ...(options.signal ? {signal: options.signal} : {})
  })
  const units: AssembleUnit[] = files.map((input, index) => ({root: input.root, compiled: compiled[index] as CompiledFile}))
  const records = assemble(units)

  const messages = units.flatMap((unit) => unit.compiled.file.messages).sort(compareMessages)
  const roots = [...new Set(files.map((file) => file.input))]
  const provenance = {version, inputs: roots, files: files.length, ...(options.formats ? {formats: options.formats} : {})}
  let dataset: Dataset | undefined
  return {
    records,
    messages,
    files: datasetFiles(records, provenance),
    get dataset() {
      return (dataset ??= emitDataset(records, provenance))
    },
    summary: summarize(units, records),
    datasetKey,
    stats
  }
}

/**
 * What the cache remembers of a written output folder, to tell that it is
 * untouched: the list of its files is kept apart (see `previousOutput`), so
 * that the check holds one file at a time, not the whole list.
 */
interface Manifest {
  datasetKey: string
  /** The `outputDigest` of the folder's file names, sizes and modification times. */
  outputDigest: string
  messages: Array<{file: string; messages: SerializedCompiled['messages']}>
  summary: BuildSummary
}

/**
 * A file `writeDataset` wrote: its path in the folder, size, modification
 * time, the key of the record it was made from (see
 * `DatasetFile.recordKey`; empty for files made from all records) and, for
 * a file made of a part per record, where each record's part lies in it.
 */
export type WrittenFile = [name: string, size: number, mtimeMs: number, recordKey: string, parts?: WrittenParts]

/**
 * Where each record's part (see `DatasetFile.parts`) lies in a file
 * written, flat: a record's key, the offset and the length in bytes, the
 * next record's key, and so on.
 */
export type WrittenParts = Array<string | number>

/**
 * What roledoc last wrote to `out`, as the cache remembers it: given to
 * `writeDataset` as `previous`, so that files made from unchanged records are
 * linked instead of made again. The cache keys it with roledoc's own code,
 * so files that other code made are never kept.
 */
export async function previousOutput(cache: Cache, out: string, cwd = process.cwd()): Promise<WrittenFile[]> {
  const files = (await cache.get(writtenKey(path.resolve(cwd, out)), isWrittenList))?.files ?? []
  // A record's key comes up in several files: one string for all.
  const keys = new Map<string, string>()
  const one = (key: string): string => keys.get(key) ?? (keys.set(key, key), key)
  for (const file of files) {
    file[3] = one(file[3])
    const parts = file[4] ?? []
    for (let index = 0; index < parts.length; index += 3) parts[index] = one(parts[index] as string)
  }
  return files
}

/** Remember that `out` now holds the dataset of `result` (`written` as `writeDataset` returned it), so a rebuild can skip work. */
export async function rememberOutput(cache: Cache, out: string, result: BuildResult, written: readonly WrittenFile[], cwd = process.cwd()): Promise<void> {
  const folder = path.resolve(cwd, out)
  const byFile = new Map<string, SerializedCompiled['messages']>()
  for (const message of result.messages) {
    const list = byFile.get(message.file ?? '') ?? []
    list.push(serializeMessage(message))
    byFile.set(message.file ?? '', list)
  }
  const manifest: Manifest = {
    datasetKey: result.datasetKey,
    outputDigest: outputDigest([...written].sort(byFolderOrder)),
    messages: [...byFile].map(([file, messages]) => ({file, messages})),
    summary: result.summary
  }
  await cache.set(writtenKey(folder), {files: written})
  await cache.set(manifestKey(folder), manifest)
}

function manifestKey(folder: string): string {
  return cacheKey('output', folder)
}

function writtenKey(folder: string): string {
  return cacheKey('written', folder)
}

function isManifest(value: unknown): value is Manifest {
  if (typeof value !== 'object' || value === null) return false
  const data = value as Record<string, unknown>
  return (
    typeof data['datasetKey'] === 'string' &&
    typeof data['outputDigest'] === 'string' &&
    Array.isArray(data['messages']) &&
    typeof data['summary'] === 'object' &&
    data['summary'] !== null
  )
}

function isWrittenList(value: unknown): value is {files: WrittenFile[]} {
  if (typeof value !== 'object' || value === null) return false
  const files = (value as Record<string, unknown>)['files']
  return Array.isArray(files) && files.every(isWrittenFile)
}

function isWrittenFile(value: unknown): value is WrittenFile {
  return (
    Array.isArray(value) &&
    (value.length === 4 || (value.length === 5 && isWrittenParts(value[4]))) &&
    typeof value[0] === 'string' &&
    typeof value[1] === 'number' &&
    typeof value[2] === 'number' &&
    typeof value[3] === 'string'
  )
}

function isWrittenParts(value: unknown): value is WrittenParts {
  if (!Array.isArray(value) || value.length % 3 !== 0) return false
  for (let index = 0; index < value.length; index += 3) {
    if (typeof value[index] !== 'string' || !Number.isInteger(value[index + 1]) || !Number.isInteger(value[index + 2])) return false
  }
  return true
}

/** Whether `folder` holds exactly the files of `manifest`, each with its size and modification time. */
function outputMatches(folder: string, manifest: Manifest): boolean {
  try {
    return outputDigest(folderFiles(folder)) === manifest.outputDigest
  } catch {
    return false
  }
}

/** A hash of the names, sizes and modification times of a folder's files, given in `byFolderOrder`. */
function outputDigest(files: Iterable<readonly [name: string, size: number, mtimeMs: number, ...rest: unknown[]]>): string {
  const hash = createHash('sha256')
  for (const [name, size, mtimeMs] of files) hash.update(`${name}\u0000${size}\u0000${mtimeMs}\n`)
  return hash.digest('hex')
}

/**
 * The files under `folder` (posix paths relative to it), one at a time in
 * `byFolderOrder`, each with its size and modification time. Names only are
 * listed, and links are not followed: the stat of each tells what it is.
 */
function* folderFiles(folder: string, prefix = ''): Generator<[name: string, size: number, mtimeMs: number]> {
  for (const name of readdirSync(folder).sort(compareStrings)) {
    const full = path.join(folder, name)
    const stats = lstatSync(full)
    if (stats.isDirectory()) yield* folderFiles(full, `${prefix}${name}/`)
    else yield [prefix + name, stats.size, stats.mtimeMs]
  }
}

/** Folder by folder, as `folderFiles` lists them: `roles/a.json` comes before `roles.json`. */
function byFolderOrder(a: WrittenFile, b: WrittenFile): number {
  const left = a[0].split('/')
  const right = b[0].split('/')
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const order = compareStrings(left[index] as string, right[index] as string)
    if (order !== 0) return order
  }
  return left.length - right.length
}

interface CompileSettings {
  maxFileSize: number
  workers: number
  threadsFrom: number
  cache: Cache | null
  onProgress: (done: number) => void
  signal?: AbortSignal
}

/** Files compiled together in one worker task. */
const batchSize = 8
/** Tasks queued on each worker thread at once. */
const tasksPerThread = 2
/**
 * Below this many files to compile, they are compiled on the main thread:
 * a worker thread loads and warms up its own parser, which costs more than
 * it saves on fewer files (measured with `npm run bench`: on the 142 files
 * of the real corpus a second thread made the build slower, on 1,420
 * faster). From this many on, `workers` threads compile them.
 */
const defaultThreadsFrom = 500

/** An input after the checks: a result already (skipped), or its size and cache key. */
interface InputRead {
  early?: CompiledFile
  size: number
  key: string | null
}

/** What `streamReads` kept of a walk: each file's read in walk order, and the dataset key they gave. */
interface StreamedReads {
  reads: InputRead[]
  datasetKey: string
}

/** Read and key `files` (for the cache) one at a time, keeping their reads but not the files. */
function streamReads(files: Iterable<InputFile>, maxFileSize: number, keyOf: (reads: Iterable<[InputFile, InputRead]>) => string): StreamedReads {
  const reads: InputRead[] = []
  const datasetKey = keyOf(
    (function* () {
      for (const pair of readEach(files, maxFileSize, true)) {
        reads.push(pair[1])
        yield pair
      }
    })()
  )
  return {reads, datasetKey}
}

/**
 * The inputs in path order (the order they are compiled in), their reads,
 * and the dataset key (over `walked`, in walk order). The reads of
 * `streamed` are used when they give the same key for `walked`: the same
 * files, walked the same way; otherwise each file is read.
 */
function readInputs(
  walked: readonly InputFile[],
  maxFileSize: number,
  keyed: boolean,
  keyOf: (reads: Iterable<[InputFile, InputRead]>) => string,
  streamed?: StreamedReads
): {files: InputFile[]; reads: InputRead[]; datasetKey: string} {
  const paired = (reads: readonly InputRead[]): Array<[InputFile, InputRead]> => walked.map((file, index) => [file, reads[index] as InputRead])
  const reused = streamed && streamed.reads.length === walked.length && keyOf(paired(streamed.reads)) === streamed.datasetKey ? streamed : undefined
  const reads = reused?.reads ?? Array.from(readEach(walked, maxFileSize, keyed), ([, read]) => read)
  const datasetKey = reused?.datasetKey ?? keyOf(paired(reads))
  const order = walked.map((_, index) => index).sort((a, b) => compareStrings((walked[a] as InputFile).display, (walked[b] as InputFile).display))
  return {files: order.map((index) => walked[index] as InputFile), reads: order.map((index) => reads[index] as InputRead), datasetKey}
}

/**
 * Check each input and, with a cache, read it to key its entry. The bytes
 * are not kept: a file is read again when it is compiled (with a warm cache
 * few are), so that memory does not hold the whole corpus. Synchronous: for
 * many small files much faster than awaiting each.
 */
function* readEach(files: Iterable<InputFile>, maxFileSize: number, keyed: boolean): Generator<[InputFile, InputRead]> {
  for (const input of files) yield [input, readInput(input, maxFileSize, keyed)]
}

function readInput(input: InputFile, maxFileSize: number, keyed: boolean): InputRead {
  if (input.unreadable) return skipped(input, input.unreadable.ruleId, `${input.display} ${input.unreadable.reason}`, 0)
  // With a cache, one open gives both the size and the bytes that key the entry.
  const fd = keyed ? openSync(input.absolute, 'r') : null
  try {
    const {size} = fd === null ? statSync(input.absolute) : fstatSync(fd)
    if (size > maxFileSize) {
      const reason = `The file has ${size} bytes, more than the limit of ${maxFileSize}; it is skipped. Split it, or raise --max-file-size`
      return skipped(input, 'file-too-large', reason, size, {actual: String(size), expected: [`at most ${maxFileSize}`]})
    }
    return {size, key: fd === null ? null : compileKey(input, maxFileSize, readTransient(fd))}
  } finally {
    if (fd !== null) closeSync(fd)
  }
}

/** A hash of everything a dataset is made from: roledoc, the options, and each input file (in walk order) with its contents' key. */
function datasetKeyOf(version: string, formats: readonly DatasetFormat[] | null, maxFileSize: number, reads: Iterable<[InputFile, InputRead]>): string {
  return cacheKeyOf(
    (function* () {
      yield* ['dataset', version, JSON.stringify(formats), maxFileSize]
      for (const [input, read] of reads) yield `${input.display}\u0000${input.root}\u0000${input.input}\u0000${read.key ?? ''}`
    })()
  )
}

/** An input that is not read (a link out, a broken link, too large): its result is the one message. */
function skipped(input: InputFile, ruleId: RuleId, reason: string, size: number, options: ReportOptions = {}): InputRead {
  const file = new VFile({path: input.display})
  report(file, ruleId, reason, {line: 1, column: 1}, options)
  return {early: {kind: 'skipped', record: null, reference: null, messages: [...file.messages], file}, size, key: cacheKey('skip', ruleId, reason)}
}

let scratch = Buffer.allocUnsafe(1 << 16)

/**
 * The bytes of the open file `fd`, in a buffer that the next call reuses:
 * for hashing only. Reading thousands of files into new buffers would leave
 * as much memory to collect.
 */
function readTransient(fd: number): Uint8Array {
  let length = 0
  for (;;) {
    if (length === scratch.length) {
      const bigger = Buffer.allocUnsafe(scratch.length * 2)
      scratch.copy(bigger, 0, 0, length)
      scratch = bigger
    }
    const read = readSync(fd, scratch, length, scratch.length - length, null)
    if (read === 0) return scratch.subarray(0, length)
    length += read
  }
}

function compileKey(input: InputFile, maxFileSize: number, bytes: Uint8Array): string {
  return cacheKey('compile', input.sourcePath, maxFileSize, bytes)
}

/**
 * Compile `files`, in their order: from the cache when it has them, else on
 * the main thread (few files) or on `workers` worker threads (many). Every
 * path gives the same result (tests check the bytes). A file's bytes are
 * held only while it is compiled.
 */
async function compileInputs(files: readonly InputFile[], reads: readonly InputRead[], settings: CompileSettings): Promise<{compiled: CompiledFile[]; stats: CompileStats}> {
  const results: Array<CompiledFile | undefined> = Array.from({length: files.length})
  const strings = new Map<string, string>()
  let cached = 0
  const pending: Array<{index: number; input: InputFile; size: number}> = []
  let done = 0
  const finish = (index: number, compiled: CompiledFile): void => {
    results[index] = compiled
    settings.onProgress(++done)
  }

  for (const [index, input] of files.entries()) {
    const {early, size, key} = reads[index] as InputRead
    if (early) {
      finish(index, early)
      continue
    }
    const hit = key && settings.cache ? await settings.cache.get(key, isSerializedCompiled) : undefined
    if (hit) {
      cached++
      finish(index, deserializeCompiled(hit, input.display, strings))
    } else {
      pending.push({index, input, size})
    }
  }

  if (pending.length === 0) return {compiled: finished(results), stats: {parsed: 0, cached, threads: 0}}
  // Read now, and keyed by the bytes compiled (the file may have changed since it was first read).
  const load = (item: (typeof pending)[number]): {task: CompileTask; key: string | null} => {
    const bytes = readFileSync(item.input.absolute)
    const task = {display: item.input.display, sourcePath: item.input.sourcePath, bytes, maxFileSize: settings.maxFileSize}
    return {task, key: settings.cache ? compileKey(item.input, settings.maxFileSize, bytes) : null}
  }
  const store = async (item: (typeof pending)[number], key: string | null, data: SerializedCompiled): Promise<void> => {
    if (key && settings.cache) await settings.cache.set(key, data)
    finish(item.index, deserializeCompiled(data, item.input.display, strings))
  }
  if (pending.length < settings.threadsFrom) {
    // Few files: compiled here (loaded only now, so an all-cached build never loads the parser).
    const {default: compileBatch} = await import('./worker.js')
    for (const item of pending) {
      settings.signal?.throwIfAborted()
      const {task, key} = load(item)
      // A copy: the record's texts would otherwise be slices of the whole
      // file's text, and keep it in memory.
      await store(item, key, structuredClone(compileBatch([task])[0]) as SerializedCompiled)
    }
    return {compiled: finished(results), stats: {parsed: pending.length, cached, threads: 0}}
  }
  // Many files: compiled in `workers` threads while this one only gathers
  // the results, so that its memory holds the records and not the parser's
  // garbage. Two tasks in flight per thread: a thread starts its next batch
  // without waiting for this one to hand it out.
  // Largest first, so that no thread is left with a big file at the end.
  pending.sort((a, b) => b.size - a.size || a.index - b.index)
  const {default: Tinypool} = await import('tinypool')
  const threads = settings.workers
  const pool = new Tinypool({filename: workerUrl().href, minThreads: threads, maxThreads: threads, concurrentTasksPerWorker: tasksPerThread})
  try {
    let next = 0
    const take = (): typeof pending => {
      settings.signal?.throwIfAborted()
      const batch = pending.slice(next, next + batchSize)
      next += batch.length
      return batch
    }
    const runner = async (): Promise<void> => {
      for (let batch = take(); batch.length > 0; batch = take()) {
        const loaded = batch.map(load)
        const output = (await pool.run(loaded.map((item) => item.task))) as SerializedCompiled[]
        for (const [offset, item] of batch.entries()) await store(item, loaded[offset]?.key ?? null, output[offset] as SerializedCompiled)
      }
    }
    await Promise.all(Array.from({length: threads * tasksPerThread}, runner))
  } finally {
    await pool.destroy()
  }
  return {compiled: finished(results), stats: {parsed: pending.length, cached, threads}}
}

function finished(results: ReadonlyArray<CompiledFile | undefined>): CompiledFile[] {
  return results.map((result) => {
    assert(result, 'every input is compiled')
    return result
  })
}

/** `dist/worker.js`, also when this module runs from `src/` (tests build `dist/` first). */
function workerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('../dist/worker.js', import.meta.url) : new URL('./worker.js', import.meta.url)
}

function summarize(units: readonly AssembleUnit[], records: readonly DatasetRecord[]): BuildSummary {
  const summary: BuildSummary = {
    files: units.length,
    roles: 0,
    fragments: 0,
    references: 0,
    skipped: 0,
    permissions: 0,
    privilegedPermissions: 0
  }
  for (const unit of units) {
    if (unit.compiled.kind === 'reference') summary.references++
    if (unit.compiled.kind === 'skipped') summary.skipped++
  }
  for (const record of records) {
    if (record.kind === 'fragment') {
      summary.fragments++
      continue
    }
    summary.roles++
    summary.permissions += record.permissions.length
    for (const permission of record.permissions) if (permission.privileged) summary.privilegedPermissions++
  }
  return summary
}

export type SideKind = 'dataset' | 'docs' | 'file'

export interface LoadedSide {
  kind: SideKind
  records: DatasetRecord[]
  messages: VFileMessage[]
}

/**
 * Records for one side of a diff: a dataset folder written by `roledoc
 * build` (it has an `index.json` by roledoc and a `roles.json`), or a docs
 * folder or Markdown file, compiled in memory.
 */
export async function loadSide(input: string, cwd = process.cwd()): Promise<LoadedSide> {
  const absolute = path.resolve(cwd, input)
  let stats
  try {
    stats = await stat(absolute)
  } catch {
    throw new UsageError(`Not found: ${input}; pass a Markdown file, a docs folder or a dataset folder written by \`roledoc build\``)
  }
  if (stats.isDirectory() && (await isDataset(absolute))) {
    let records: unknown
    try {
      records = JSON.parse(await readFile(path.join(absolute, 'roles.json'), 'utf8'))
    } catch (error) {
      throw new UsageError(`Could not read ${input}/roles.json: ${error instanceof Error ? error.message : String(error)}; rebuild the dataset`)
    }
    if (!Array.isArray(records) || !records.every(isRecordLike)) {
      throw new UsageError(`${input}/roles.json is not a list of roledoc records; rebuild the dataset`)
    }
    return {kind: 'dataset', records: records as DatasetRecord[], messages: []}
  }
  const result = await build({inputs: [input], cwd})
  return {kind: stats.isDirectory() ? 'docs' : 'file', records: result.records, messages: result.messages}
}

async function isDataset(folder: string): Promise<boolean> {
  try {
    const index = JSON.parse(await readFile(path.join(folder, 'index.json'), 'utf8')) as {generator?: {name?: unknown}}
    return index.generator?.name === 'roledoc'
  } catch {
    return false
  }
}

function isRecordLike(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  if (typeof record['id'] !== 'string') return false
  if (record['kind'] === 'fragment') return true
  return record['kind'] === 'role' && Array.isArray(record['permissions']) && Array.isArray(record['callouts'])
}

export interface CheckResult {
  /** Files whose content differs. */
  stale: string[]
  /** Files the build would write that are not there. */
  missing: string[]
  /** Files there that the build would not write. */
  extra: string[]
}

/**
 * Compare `dataset` with what the folder `out` holds; writes nothing. Files
 * are compared a chunk at a time, so that memory does not hold a big
 * combined file, neither as made nor as read.
 */
export async function checkDataset(out: string, dataset: Dataset | readonly DatasetFile[], cwd = process.cwd()): Promise<CheckResult> {
  const target = path.resolve(cwd, out)
  const present = new Set(existsSync(target) ? Array.from(folderFiles(target), ([name]) => name) : [])
  const result: CheckResult = {stale: [], missing: [], extra: []}
  const files = dataset instanceof Map ? filesOf(dataset) : dataset
  const names = new Set<string>()
  for (const file of files) {
    names.add(file.name)
    if (!present.has(file.name)) result.missing.push(file.name)
    else if (!holds(path.join(target, ...file.name.split('/')), file.content())) result.stale.push(file.name)
  }
  for (const name of present) if (!names.has(name)) result.extra.push(name)
  for (const list of Object.values(result)) list.sort(compareStrings)
  return result
}

/** Whether the file at `file` holds exactly the bytes of `content`. */
function holds(file: string, content: string | Iterable<string>): boolean {
  const fd = openSync(file, 'r')
  try {
    let position = 0
    let onDisk = Buffer.allocUnsafe(1 << 16)
    for (const chunk of typeof content === 'string' ? [content] : content) {
      const expected = Buffer.from(chunk)
      if (onDisk.length < expected.length) onDisk = Buffer.allocUnsafe(expected.length)
      const read = readAt(fd, onDisk, expected.length, position)
      if (read !== expected.length || !onDisk.subarray(0, read).equals(expected)) return false
      position += read
    }
    // Nothing after the last chunk.
    return readSync(fd, onDisk, 0, 1, position) === 0
  } finally {
    closeSync(fd)
  }
}

/** Read up to `length` bytes at `position` into `buffer` (fewer only at the end of the file); returns how many. */
function readAt(fd: number, buffer: Buffer, length: number, position: number): number {
  let done = 0
  while (done < length) {
    const read = readSync(fd, buffer, done, length - done, position + done)
    if (read === 0) break
    done += read
  }
  return done
}

/**
 * Call `onChange` (debounced by `delay` ms) whenever a Markdown file under
 * `inputs` changes, until `signal` aborts; resolves then.
 */
export async function watchInputs(
  inputs: readonly string[],
  cwd: string,
  onChange: () => Promise<void>,
  signal: AbortSignal,
  onReady: () => void = () => {},
  delay = 150
): Promise<void> {
  const watchers: FSWatcher[] = []
  let timer: NodeJS.Timeout | undefined
  let running = Promise.resolve()
  const trigger = (name: string | null): void => {
    if (name !== null && !name.toLowerCase().endsWith('.md') && !name.includes('.md')) return
    clearTimeout(timer)
    timer = setTimeout(() => {
      running = running.then(onChange)
    }, delay)
  }
  for (const input of inputs) {
    const absolute = path.resolve(cwd, input)
    const stats = await stat(absolute)
    const target = stats.isDirectory() ? absolute : path.dirname(absolute)
    watchers.push(watch(target, {recursive: stats.isDirectory()}, (_event, name) => trigger(stats.isDirectory() ? name : name === path.basename(absolute) ? name : '')))
  }
  onReady()
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve()
    else signal.addEventListener('abort', () => resolve(), {once: true})
  })
  clearTimeout(timer)
  for (const watcher of watchers) watcher.close()
  await running
}

/** Count messages by severity. */
export function countMessages(messages: readonly VFileMessage[]): Record<'error' | 'warning' | 'info', number> {
  const counts = {error: 0, warning: 0, info: 0}
  for (const message of messages) counts[severityOf(message)]++
  return counts
}

export interface WriteOptions {
  /** How long to wait for another build writing to the same folder, in ms. Default: 30 s. */
  lockTimeout?: number
  /** Writes one file (for tests that make a write fail; a file in chunks comes joined). Default: streamed to disk. */
  writeFile?: (file: string, content: string) => Promise<void>
  /**
   * What roledoc last wrote to `out` (see `previousOutput`): a file made
   * from a record with the same key, still there with the size and
   * modification time it was written with, is hard-linked from the current
   * folder instead of made again. Without it, record keys are not computed
   * (`WrittenFile`s get `''`).
   */
  previous?: readonly WrittenFile[]
}

/**
 * Replace the folder `out` with exactly the files of `dataset`: they are
 * written to a temporary folder beside it, which is then renamed into place,
 * so a failed or killed run leaves the previous folder as it was. A lock
 * file beside the folder makes a second build into it wait. Temporary
 * folders that a killed run left behind are removed. Files are made one at a
 * time and big ones written in chunks, so memory does not grow with the
 * dataset. Returns what was written (for `rememberOutput`).
 */
export async function writeDataset(out: string, dataset: Dataset | readonly DatasetFile[], cwd = process.cwd(), options: WriteOptions = {}): Promise<WrittenFile[]> {
  const target = path.resolve(cwd, out)
  await assertReplaceable(target, out)
  await mkdir(path.dirname(target), {recursive: true})
  const release = await acquireLock(target, out, options.lockTimeout ?? 30_000)
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`
  const temporary = `${target}.roledoc-tmp-${suffix}`
  const previous = `${target}.roledoc-old-${suffix}`
  const before = new Map((options.previous ?? []).map((file) => [file[0], file]))
  const files = dataset instanceof Map ? filesOf(dataset) : dataset
  const written: WrittenFile[] = []
  const folders = new Set<string>()
  try {
    await removeLeftovers(target)
    for (const file of files) {
      const destination = path.join(temporary, ...file.name.split('/'))
      // Ids are made safe when records are built; this keeps it so whatever they hold.
      assert(destination.startsWith(temporary + path.sep), `output path escapes the output folder: ${file.name}`)
      const folder = path.dirname(destination)
      if (!folders.has(folder)) {
        mkdirSync(folder, {recursive: true})
        folders.add(folder)
      }
      // Keys are only worth their cost when the cache keeps them for the next build.
      const recordKey = (options.previous && file.recordKey?.()) ?? ''
      const kept = before.get(file.name)
      if (kept && recordKey !== '' && kept[3] === recordKey && linkUnchanged(path.join(target, ...file.name.split('/')), destination, kept)) {
        written.push(kept)
        continue
      }
      if (options.previous && file.parts && !options.writeFile) {
        // A part per record: those of records as they were are copied from the file written before.
        const parts: WrittenParts = []
        const old = kept?.[4] ? openUnchanged(path.join(target, ...file.name.split('/')), `${out}/${file.name}`, kept, kept[4]) : null
        try {
          const stats = writeContent(destination, partContent(file.parts(), old, parts))
          written.push([file.name, stats.size, stats.mtimeMs, '', parts])
        } finally {
          if (old) closeSync(old.fd)
        }
        continue
      }
      const stats = options.writeFile ? await writeWith(options.writeFile, destination, fileText(file)) : writeContent(destination, file.content())
      written.push([file.name, stats.size, stats.mtimeMs, recordKey])
    }
    if (existsSync(target)) await rename(target, previous)
    await rename(temporary, target)
  } finally {
    removeFolder(temporary)
    removeFolder(previous)
    await release()
  }
  return written
}

/**
 * Remove `folder` and all it holds, if it is there. Synchronous (for
 * thousands of files much faster than awaiting each), and the listing tells
 * files from folders: about twice as fast as `rmSync`, which looks up each
 * file before it removes it. Whatever this cannot remove, `rmSync` tries.
 */
function removeFolder(folder: string): void {
  try {
    for (const entry of readdirSync(folder, {withFileTypes: true})) {
      const full = path.join(folder, entry.name)
      if (entry.isDirectory()) removeFolder(full)
      else unlinkSync(full)
    }
    rmdirSync(folder)
  } catch {
    // Not there (then this does nothing), or something in the way.
    rmSync(folder, {recursive: true, force: true})
  }
}

/** Bytes are gathered up to this many before they are written. */
const writeBufferSize = 1 << 20

/**
 * One buffer for all writes: fresh memory is slow to come by here (reading
 * 20 MB into new 1 MiB buffers took 76-88 ms, into one reused 2-6 ms).
 */
const writeScratch = Buffer.allocUnsafe(writeBufferSize)

/** Bytes of an open file to copy: from `start` up to `end`. */
interface CopyRange {
  fd: number
  start: number
  end: number
  /** The file as messages show it. */
  shown: string
}

/**
 * Write `content` to a new file, synchronously (for thousands of small
 * files much faster than awaiting each), gathered into large writes.
 */
function writeContent(file: string, content: string | Iterable<string | CopyRange>): {size: number; mtimeMs: number} {
  const fd = openSync(file, 'w')
  let used = 0
  const flush = (): void => {
    writeAll(fd, writeScratch.subarray(0, used))
    used = 0
  }
  try {
    for (const chunk of typeof content === 'string' ? [content] : content) {
      if (typeof chunk !== 'string') {
        flush()
        copyRange(chunk, fd)
      } else if (chunk.length * 3 <= writeScratch.length) {
        // At most 3 bytes for each UTF-16 unit.
        if (chunk.length * 3 > writeScratch.length - used) flush()
        used += writeScratch.write(chunk, used)
      } else {
        flush()
        writeAll(fd, Buffer.from(chunk))
      }
    }
    flush()
    const stats = fstatSync(fd)
    return {size: stats.size, mtimeMs: stats.mtimeMs}
  } finally {
    closeSync(fd)
  }
}

/** Copy `range` to `fd` through `writeScratch`. */
function copyRange({fd: from, start, end, shown}: CopyRange, fd: number): void {
  for (let offset = start; offset < end; ) {
    const length = Math.min(writeScratch.length, end - offset)
    for (let filled = 0; filled < length; ) {
      const read = readSync(from, writeScratch, filled, length - filled, offset + filled)
      if (read === 0) throw new UsageError(`${shown} changed while roledoc was writing the folder; run again`)
      filled += read
    }
    writeAll(fd, writeScratch.subarray(0, length))
    offset += length
  }
}

/** A file written before, open, and where each record's part lies in it. */
interface PartsFile {
  fd: number
  parts: Map<string, [offset: number, length: number]>
  shown: string
}

/** `file` opened, when it is as roledoc wrote it (`kept`'s size and modification time). */
function openUnchanged(file: string, shown: string, kept: WrittenFile, parts: WrittenParts): PartsFile | null {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return null
  }
  const {size, mtimeMs} = fstatSync(fd)
  if (size !== kept[1] || mtimeMs !== kept[2]) {
    closeSync(fd)
    return null
  }
  const spans = new Map<string, [offset: number, length: number]>()
  for (let index = 0; index < parts.length; index += 3) spans.set(parts[index] as string, [parts[index + 1] as number, parts[index + 2] as number])
  return {fd, parts: spans, shown}
}

/**
 * The content of `parts`: a record's part is copied from `before` when that
 * file has the part of a record with the same key (runs of such parts in one
 * copy), else made. Where each record's part lies in the new file is added
 * to `written`.
 */
function* partContent(parts: Iterable<string | RecordPart>, before: PartsFile | null, written: WrittenParts): Generator<string | CopyRange> {
  let position = 0
  // Bytes of `before` still to copy.
  let run: CopyRange | null = null
  for (const part of parts) {
    const key = typeof part === 'string' ? null : part.recordKey()
    const span = key === null ? undefined : before?.parts.get(key)
    if (span && run && run.end === span[0]) {
      run.end += span[1]
    } else {
      if (run) yield run
      run = span && before ? {fd: before.fd, start: span[0], end: span[0] + span[1], shown: before.shown} : null
    }
    let length: number
    if (span) {
      length = span[1]
    } else {
      const text = typeof part === 'string' ? part : part.text()
      length = Buffer.byteLength(text)
      yield text
    }
    if (key !== null) written.push(key, position, length)
    position += length
  }
  if (run) yield run
}

/** Write every byte of `bytes` (a write may take fewer than it was given). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written)
}

async function writeWith(write: (file: string, content: string) => Promise<void>, file: string, content: string): Promise<{size: number; mtimeMs: number}> {
  await write(file, content)
  const {size, mtimeMs} = statSync(file)
  return {size, mtimeMs}
}

/** Hard-link the file at `from` to `to` when it is as roledoc wrote it (`kept`'s size and modification time). */
function linkUnchanged(from: string, to: string, kept: WrittenFile): boolean {
  try {
    const stats = statSync(from)
    if (stats.size !== kept[1] || stats.mtimeMs !== kept[2]) return false
  } catch {
    return false
  }
  return linkFrom(from, to)
}

/** Hard-link `from` to `to`; false when that is not possible (then the file is written). */
function linkFrom(from: string, to: string): boolean {
  try {
    linkSync(from, to)
    return true
  } catch {
    return false
  }
}

/** Take `<out>.roledoc-lock`, waiting while a live process holds it; returns the release. */
async function acquireLock(target: string, shown: string, timeout: number): Promise<() => Promise<void>> {
  const lock = `${target}.roledoc-lock`
  const deadline = Date.now() + timeout
  for (;;) {
    try {
      await writeFile(lock, String(process.pid), {flag: 'wx'})
      return () => rm(lock, {force: true})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = Number.parseInt(await readFile(lock, 'utf8').catch(() => ''), 10)
    if (!isAlive(holder)) {
      // Left by a run that was killed: take it over.
      await rm(lock, {force: true})
      continue
    }
    if (Date.now() > deadline) {
      throw new UsageError(
        `Another roledoc run (process ${holder}) is writing to ${shown}; waited ${Math.round(timeout / 1000)} s. Run again when it is done, or remove ${shown}.roledoc-lock if that process is gone`
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Remove `<out>.roledoc-tmp-*` and `<out>.roledoc-old-*` folders of processes that are gone. */
async function removeLeftovers(target: string): Promise<void> {
  const prefix = `${path.basename(target)}.roledoc-`
  for (const name of await readdir(path.dirname(target))) {
    const match = /^(?:tmp|old)-(\d+)-[\da-f]+$/.exec(name.slice(prefix.length))
    if (!name.startsWith(prefix) || !match) continue
    if (Number(match[1]) === process.pid || !isAlive(Number(match[1]))) {
      await rm(path.join(path.dirname(target), name), {recursive: true, force: true})
    }
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Refuse to replace a folder that holds anything but a roledoc dataset. */
async function assertReplaceable(target: string, shown: string): Promise<void> {
  let stats
  try {
    stats = await lstat(target)
  } catch {
    return
  }
  if (!stats.isDirectory()) {
    throw new UsageError(`Output ${shown} exists and is not a folder; choose another --out`)
  }
  const entries = await readdir(target)
  const datasetEntries = new Set(['index.json', 'roles'])
  const foreign = entries.filter((entry) => !datasetEntries.has(entry))
  if (foreign.length > 0 && !entries.includes('index.json')) {
    throw new UsageError(
      `Output folder ${shown} is not empty and holds no roledoc dataset (found ${foreign.slice(0, 3).join(', ')}); roledoc replaces its output folder whole, so choose an empty or new --out`
    )
  }
}

interface Walked {
  file: string
  unreadable?: InputFile['unreadable']
}

/**
 * Markdown files under `folder`, sorted, skipping hidden entries and
 * `node_modules`. Symbolic links are not followed (so link loops end): one
 * that leads inside the root names a place walked anyway, and one that leads
 * out of the root, or nowhere, is listed as unreadable, never read.
 */
function* walk(folder: string, root: string): Generator<Walked> {
  // Synchronous: for thousands of files much faster than awaiting each call.
  const entries = readdirSync(folder, {withFileTypes: true})
  entries.sort((a, b) => compareStrings(a.name, b.name))
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
    // `folder` is absolute and normalized, and a name holds no separator: no `path.join` for each file.
    const absolute = folder.endsWith(path.sep) ? folder + entry.name : `${folder}${path.sep}${entry.name}`
    const isMarkdown = entry.name.toLowerCase().endsWith('.md')
    if (entry.isSymbolicLink()) {
      let target: string
      let stats
      try {
        target = realpathSync(absolute)
        stats = statSync(target)
      } catch {
        if (isMarkdown) yield {file: absolute, unreadable: {ruleId: 'unparseable', reason: 'is a broken symbolic link; it is skipped. Fix or remove the link'}}
        continue
      }
      if (target !== root && !target.startsWith(root + path.sep)) {
        if (isMarkdown || stats.isDirectory()) {
          yield {file: absolute, unreadable: {ruleId: 'include-outside-root', reason: 'is a symbolic link to a place outside the input root; it is not read'}}
        }
      }
      // A link to a place inside the root is not followed: that place is
      // walked (and its files compiled) under its own name.
      continue
    }
    // Links are not followed, so the walk is a tree: no place is reached twice.
    if (entry.isDirectory()) {
      yield* walk(absolute, root)
    } else if (entry.isFile() && isMarkdown) {
      yield {file: absolute}
    }
  }
}

/**
 * `path.relative(from, to)` for absolute, normalized paths; a plain slice
 * when `to` is inside `from`, which is every file of a folder walked (and
 * much cheaper, in time and garbage, for thousands of files).
 */
function relativePath(from: string, to: string): string {
  const prefix = from.endsWith(path.sep) ? from : from + path.sep
  return to.startsWith(prefix) ? to.slice(prefix.length) : path.relative(from, to)
}

function toPosix(value: string): string {
  return path.sep === '/' ? value : value.split(path.sep).join('/')
}
