/**
 * The build driver: this module and `build/*` are, with the CLI, the only
 * code that touches the file system. Finds and reads the inputs
 * (`driver/inputs.ts`), compiles each with `compileFile` (from the cache, or
 * on worker threads: `driver/threads.ts`), assembles the records, and writes
 * the dataset by swapping in a complete folder (`driver/write.ts`); the cache
 * remembers what was written (`driver/incremental/written.ts`), so that a rebuild does
 * only what changed.
 */
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {existsSync} from 'node:fs'
import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import type {VFileMessage} from 'vfile-message'
import {assemble, type AssembleUnit} from '../compile/assemble.js'
import {cacheKey, type Cache} from './incremental/cache.js'
import type {CompiledFile} from '../compile/compile.js'
import {datasetFiles, emitDataset, ownPermissions, type Dataset, type DatasetFile, type DatasetFilesOptions, type DatasetFormat, type PermissionFacts, type Provenance} from '../emit/dataset.js'
import {defaultFileTimeout, defaultMaxFileSize, workerHeapMb} from '../compile/limits.js'
import {compareMessages, severityOf} from '../compile/messages.js'
import {deserializeCompiled, deserializeMessages, type SerializedCompiled} from './serialize.js'
import type {DatasetRecord, SourceInfo} from '../types.js'
import {version as packageVersion, workerScript} from '../package.js'
import type {CompileTask} from '../worker.js'
import {compileOnThreads, overrunFile, type Overrun} from './threads.js'
import {bodyFields, fileMessages, LeanFile, RecordBodies} from './incremental/lean-records.js'
import {compiledEntryFor} from './incremental/cache-entries.js'
import {UsageError} from './errors.js'
import {compileKey, datasetKeyOf, inputNames, readInputs, readSource, streamReads, uniqueInputs, walkInputs, type InputFile, type InputRead, type StreamedReads} from './inputs.js'
import {isRememberedOutput, outputMatches, rememberedKey} from './incremental/written.js'

export {asUsageError, UsageError} from './errors.js'
export {findInputs, nameOf, type InputFile} from './inputs.js'
export {checkDataset, previousOutput, rememberOutput, type CheckResult, type PreviousFiles, type WrittenFile, type WrittenParts} from './incremental/written.js'
export {assertInputsOutside} from './manifest.js'
export {recoverOutput} from './swap.js'
export {watchInputs, type WatchOptions} from './watch.js'
export {writeDataset, type WriteOptions} from './write.js'

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
  /** Milliseconds a file may take to compile; one that takes longer is stopped and reported (`file-timeout`). Default: 30 s. */
  fileTimeout?: number
  /** Called after each file is compiled, with the count so far and the total. */
  onProgress?: (done: number, total: number) => void
  /** How many worker threads compile files, when there are at least `threadsFrom` to compile. Default: 1. */
  workers?: number
  /** Below this many files to compile, one worker thread compiles them. Default: 500. */
  threadsFrom?: number
  /** The persistent cache; `null` or absent for none. */
  cache?: Cache | null
  /**
   * An output folder: when the cache says it holds exactly the dataset these
   * inputs give, skip the work (see `BuildResult.upToDate`).
   */
  reuse?: string
  /** Aborting it stops the build at once, compiling included (the build rejects with an `AbortError`). */
  signal?: AbortSignal
  /**
   * Every other option that changes what is written, as text (the CLI
   * passes the explorer page's), so that `datasetKey`, and with it the
   * up-to-date check of `reuse`, covers it. Default: none.
   */
  outputOptions?: string
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
  /**
   * The records, sorted by id. A rebuild given `reuse` holds records from
   * the cache without their bodies, and reads them back whole on first
   * access (`files` reads each only when it makes a file from it).
   */
  readonly records: DatasetRecord[]
  messages: VFileMessage[]
  /** Every output file, each made when it is read or written (what `writeDataset` streams). */
  files: DatasetFile[]
  /** The same files as text, made on first access (for a big corpus, prefer `files`). */
  readonly dataset: Dataset
  summary: BuildSummary
  /**
   * A hash of everything the dataset is made from: roledoc's code, the
   * options, and the bytes of each input as it was compiled (a file that
   * changed while the build ran is keyed by the bytes compiled).
   */
  datasetKey: string
  /** How the files were compiled: how many were parsed, how many came from the cache, on how many worker threads (0: none was compiled). */
  stats: CompileStats
  /**
   * Set when `reuse` was given and that folder already holds this very
   * dataset, untouched since roledoc wrote it: nothing was compiled, and
   * `records`, `files` and `dataset` are empty (messages and summary are those of the
   * build that wrote it).
   */
  upToDate?: true
}

/** Compile `inputs` in memory: records, messages and the dataset to write. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd()
  const inputs = options.inputs ?? ['fixtures']
  const maxFileSize = options.maxFileSize ?? defaultMaxFileSize
  const cache = options.cache ?? null
  const version = options.version ?? packageVersion
  const keyOf = (reads: Iterable<[InputFile, InputRead]>): string =>
    withOutputOptions(datasetKeyOf(version, options.formats ?? null, maxFileSize, reads), options.outputOptions)
  let walked: InputFile[] | undefined
  let streamed: StreamedReads | undefined
  let bodies: RecordBodies | null = null
  if (cache && options.reuse !== undefined) {
    const folder = path.resolve(cwd, options.reuse)
    const previous = await cache.get(rememberedKey(folder), isRememberedOutput)
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
      // A rebuild of a folder that roledoc wrote: the files of unchanged
      // records are kept from it, so their bodies can stay in the cache.
      if (existsSync(folder)) bodies = new RecordBodies(cache)
    }
  }
  walked ??= uniqueInputs(inputs, cwd)
  const {files, reads, datasetKey: readKey} = readInputs(walked, maxFileSize, cache !== null, keyOf, streamed)

  const {compiled, keys, stats} = await compileInputs(files, reads, {
    maxFileSize,
    fileTimeout: options.fileTimeout ?? defaultFileTimeout,
    workers: Math.max(1, Math.floor(options.workers ?? 1)),
    threadsFrom: options.threadsFrom ?? defaultThreadsFrom,
    cache,
    bodies,
    onProgress: (done) => options.onProgress?.(done, files.length),
    ...(options.signal ? {signal: options.signal} : {})
  })
  const datasetKey = compiledKey(walked, files, reads, keys, keyOf) ?? readKey
  const units: AssembleUnit[] = files.map((input, index) => ({root: input.root, compiled: compiled[index] as CompiledFile}))
  const recordKey = recordKeys(units, keys)
  const assembled = assemble(units)
  const permissions = bodies?.permissions ?? ownPermissions

  const messages = units.flatMap((unit) => fileMessages(unit.compiled)).sort(compareMessages)
  const provenance = {version, inputs: inputNames(inputs, cwd), files: files.length, ...(options.formats ? {formats: options.formats} : {})}
  const summary = summarize(units, assembled, permissions)
  return buildResult(assembled, bodies, provenance, {messages, summary, datasetKey, stats}, {recordKey, permissions})
}

/** `datasetKey` with the options that `datasetKeyOf` does not cover. */
function withOutputOptions(datasetKey: string, outputOptions: string | undefined): string {
  return outputOptions === undefined ? datasetKey : cacheKey('dataset-options', datasetKey, outputOptions)
}

/**
 * The dataset key of what was compiled, when a file was compiled from
 * other bytes than those it was first read and keyed with (it changed
 * meanwhile); `null` when none was. The dataset then holds what was
 * compiled, and must be keyed so: a key of the bytes first read would call
 * the folder up to date once the file is changed back.
 */
function compiledKey(
  walked: readonly InputFile[],
  files: readonly InputFile[],
  reads: readonly InputRead[],
  keys: ReadonlyArray<string | null>,
  keyOf: (reads: Iterable<[InputFile, InputRead]>) => string
): string | null {
  const compiledRead = (index: number): InputRead => {
    const read = reads[index] as InputRead
    const key = keys[index] ?? null
    return key === null || key === read.key ? read : {...read, key}
  }
  if (files.every((_, index) => compiledRead(index) === reads[index])) return null
  const byFile = new Map(files.map((file, index) => [file, compiledRead(index)]))
  return keyOf(walked.map((file): [InputFile, InputRead] => [file, byFile.get(file) as InputRead]))
}

/**
 * The result of a build. Made apart from `build`, so that its getters do not
 * keep `build`'s locals alive (the inputs, the compiled files and their
 * VFiles) while the dataset is written.
 */
function buildResult(
  assembled: DatasetRecord[],
  bodies: RecordBodies | null,
  provenance: Provenance,
  rest: Pick<BuildResult, 'messages' | 'summary' | 'datasetKey' | 'stats'>,
  keys: Required<Pick<DatasetFilesOptions, 'recordKey' | 'permissions'>>
): BuildResult {
  // Whole records only for a caller that asks (`roledoc build` writes `files`, which load bodies as they go).
  let records: DatasetRecord[] | undefined
  const wholeRecords = (): DatasetRecord[] => (records ??= bodies ? assembled.map(bodies.load) : assembled)
  let dataset: Dataset | undefined
  return {
    get records() {
      return wholeRecords()
    },
    files: datasetFiles(assembled, provenance, {...keys, ...(bodies ? {load: bodies.load} : {})}),
    get dataset() {
      return (dataset ??= emitDataset(wholeRecords(), provenance))
    },
    ...rest
  }
}

interface Compiled {
  compiled: CompiledFile[]
  keys: Array<string | null>
  stats: CompileStats
}

interface CompileSettings {
  maxFileSize: number
  fileTimeout: number
  workers: number
  threadsFrom: number
  cache: Cache | null
  /** Where records from the cache leave their bodies, if they do. */
  bodies: RecordBodies | null
  onProgress: (done: number) => void
  signal?: AbortSignal
}

/**
 * Below this many files to compile, one worker thread compiles them: a
 * worker thread loads and warms up its own parser, which costs more than it
 * saves on fewer files (measured with `npm run bench`: on the 142 files of
 * the real corpus a second thread made the build slower, on 1,420 faster).
 * From this many on, `workers` threads compile them.
 */
const defaultThreadsFrom = 500

/**
 * Compile `files`, in their order: from the cache when it has them, else on
 * one worker thread (few files) or on `workers` (many), each file within
 * `fileTimeout` (see `driver/threads.ts`). Every path gives the same result
 * (tests check the bytes). A file's bytes are held only while it is
 * compiled.
 */
async function compileInputs(files: readonly InputFile[], reads: readonly InputRead[], settings: CompileSettings): Promise<Compiled> {
  const results: Array<CompiledFile | undefined> = Array.from({length: files.length})
  // The cache key of what each file was compiled from (`null` without the cache, or when it was not read).
  const keys: Array<string | null> = Array.from({length: files.length}, () => null)
  const strings = new Map<string, string>()
  let cached = 0
  const pending: PendingFile[] = []
  let done = 0
  const finish = (index: number, compiled: CompiledFile): void => {
    results[index] = compiled
    settings.onProgress(++done)
  }

  for (const [index, input] of files.entries()) {
    const {early, size, key, sha256} = reads[index] as InputRead
    if (early) {
      finish(index, early)
      continue
    }
    settings.signal?.throwIfAborted()
    // An entry is used only when it is a valid result for these very bytes at this path; else the file is compiled again.
    const hit = key && sha256 && settings.cache ? await settings.cache.get(key, compiledEntryFor({path: input.sourcePath, sha256})) : undefined
    if (hit) {
      cached++
      keys[index] = key
      if (settings.bodies && hit.record && key) {
        const record = settings.bodies.leave(hit.record, key)
        finish(index, hit.messages.length === 0 ? new LeanFile(hit.kind, record, input.display) : {...deserializeCompiled(hit, input.display), record})
      } else {
        finish(index, deserializeCompiled(hit, input.display, strings))
      }
    } else {
      pending.push({index, input, size})
    }
  }

  if (pending.length === 0) return {compiled: finished(results), keys, stats: {parsed: 0, cached, threads: 0}}
  // Read now, and keyed by the bytes compiled (the file may have changed since it was first read).
  // Files gone or unreadable by the time they are compiled: skipped, not parsed.
  let unread = 0
  const load = (item: PendingFile): CompileTask | null => {
    const source = readSource(item.input)
    if ('early' in source) {
      unread++
      finish(item.index, source.early)
      return null
    }
    item.key = settings.cache ? compileKey(item.input, settings.maxFileSize, source.bytes) : null
    return {display: item.input.display, sourcePath: item.input.sourcePath, bytes: source.bytes, maxFileSize: settings.maxFileSize}
  }
  const store = async (item: PendingFile, data: SerializedCompiled): Promise<void> => {
    const key = item.key ?? null
    if (key && settings.cache) await settings.cache.set(key, data)
    keys[item.index] = key
    finish(item.index, deserializeCompiled(data, item.input.display, strings))
  }
  const heapMb = workerHeapMb
  // Never cached: the next build tries the file again.
  const overran = (item: PendingFile, limit: Overrun): void => finish(item.index, overrunFile(item.input.display, limit, {fileTimeout: settings.fileTimeout, heapMb}))
  const threads = pending.length < settings.threadsFrom ? 1 : settings.workers
  // Several threads: largest first, so that no thread is left with a big file at the end.
  if (threads > 1) pending.sort((a, b) => b.size - a.size || a.index - b.index)
  await compileOnThreads({items: pending, load, done: store, overran}, {threads, script: workerScript, fileTimeout: settings.fileTimeout, heapMb, signal: settings.signal})
  return {compiled: finished(results), keys, stats: {parsed: pending.length - unread, cached, threads: Math.min(threads, pending.length)}}
}

/** A file waiting to be compiled; `key` is set when it is read. */
interface PendingFile {
  index: number
  input: InputFile
  size: number
  key?: string | null
}

function finished(results: ReadonlyArray<CompiledFile | undefined>): CompiledFile[] {
  return results.map((result) => {
    assert(result, 'every input is compiled')
    return result
  })
}

/**
 * Characters of a record key: 132 bits of the SHA-256, in base64url. The
 * cache keeps a key for each record's file (a third of the text of 64 hex
 * digits), and a rebuild holds two for each record.
 */
const recordKeyLength = 22

/**
 * How the dataset's files key each record (see `DatasetFile.recordKey`),
 * without serializing whole records: the record of a file compiled from, or
 * found in, the cache is the same for the same cache key (that is what keys
 * the cache), and assembly changes only its head (anchor, name,
 * description, template ID, includes; a fragment that a section includes
 * becomes a role), never its summary, callouts, permissions, tables or
 * front matter (`test/assemble.test.ts`). So the key hashes the cache key
 * and the head. Records without a cache key (no cache; roles written inline
 * on a reference page) are hashed whole. This is what lets a rebuild hold
 * records without their bodies (`driver/incremental/lean-records.ts`); on its own it saved no
 * measurable time.
 */
function recordKeys(units: readonly AssembleUnit[], keys: ReadonlyArray<string | null>): (record: DatasetRecord) => string {
  // By the record's `source`, which assembly keeps (it copies records, and their fields by reference).
  const byFile = new WeakMap<SourceInfo, string>()
  for (const [index, unit] of units.entries()) {
    const key = keys[index]
    if (key && unit.compiled.record) byFile.set(unit.compiled.record.source, key)
  }
  return (record) => {
    const key = byFile.get(record.source)
    const hash = createHash('sha256')
    if (key === undefined) {
      hash.update(JSON.stringify(record))
    } else {
      const head: Record<string, unknown> = {...record}
      for (const field of bodyFields) head[field] = undefined
      hash.update(`${key}\u0000${JSON.stringify(head)}`)
    }
    return hash.digest('base64url').slice(0, recordKeyLength)
  }
}

function summarize(units: readonly AssembleUnit[], records: readonly DatasetRecord[], permissionsOf: (record: DatasetRecord) => readonly PermissionFacts[]): BuildSummary {
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
    const permissions = permissionsOf(record)
    summary.permissions += permissions.length
    for (const permission of permissions) if (permission.privileged) summary.privilegedPermissions++
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
export async function loadSide(input: string, cwd = process.cwd(), signal?: AbortSignal): Promise<LoadedSide> {
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
  const result = await build({inputs: [input], cwd, ...(signal ? {signal} : {})})
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

/** Count messages by severity. */
export function countMessages(messages: readonly VFileMessage[]): Record<'error' | 'warning' | 'info', number> {
  const counts = {error: 0, warning: 0, info: 0}
  for (const message of messages) counts[severityOf(message)]++
  return counts
}
