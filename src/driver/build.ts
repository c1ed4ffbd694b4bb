/**
 * The build in memory: finds and reads the inputs (`inputs.ts`), compiles
 * each file (`compile-files.ts`: from the cache, or on worker threads),
 * assembles the records, and makes the dataset's files on demand. Writes
 * nothing: `run-build.ts` writes or checks the dataset. `build` is the
 * public API's; `compileDataset` adds what the CLI's rebuilds reuse (the
 * cache, an output folder already written: `incremental/`).
 */
import path from 'node:path'
import {existsSync} from 'node:fs'
import type {VFileMessage} from 'vfile-message'
import {assemble, type AssembleUnit} from '../compile/assemble.js'
import type {LooseCompiledFile} from '../compile/compile.js'
import type {InputKey} from '../compile/provisional.js'
import {defaultMaxFileSize} from '../compile/limits.js'
import {compareMessages} from '../compile/messages.js'
import {applySeverities, assertRuleSettings, type RuleSettings} from '../compile/severities.js'
import {datasetFiles, emitDataset, ownPermissions, type Dataset, type DatasetFile, type DatasetFilesOptions, type DatasetFormat, type Provenance} from '../emit/dataset.js'
import {version as packageVersion} from '../package.js'
import type {DatasetRecord} from '../types.js'
import {compileFiles, type CompileStats} from './compile-files.js'
import {summarize, type BuildSummary} from './summary.js'
import {cacheKey, type Cache} from './incremental/cache.js'
import {fileMessages, LeanRecords} from './incremental/lean-records.js'
import {recordKeys} from './incremental/record-keys.js'
import {isRememberedOutput, outputMatches, rememberedKey} from './incremental/written.js'
import {datasetKeyOf, inputNames, readInputs, streamReads, uniqueInputs, walkInputs, type InputFile, type InputRead, type StreamedReads} from './inputs.js'
import {deserializeMessages} from './serialize.js'
import {defaultFileTimeout} from './threads.js'

export type {CompileStats} from './compile-files.js'
export type {BuildSummary} from './summary.js'

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
  /** How many worker threads compile files, when there are at least 500 to compile (one compiles fewer). Default: 1. */
  workers?: number
  /** Aborting it stops the build at once, compiling included (the build rejects with an `AbortError`). */
  signal?: AbortSignal
  /** A severity (or `off`) for some rules, as the config's `rules` (an error cannot be lowered: see `maySet`). Default: none. */
  rules?: RuleSettings
}

/** What `roledoc build` adds to `BuildOptions`: the cache, and what a rebuild may reuse. */
export interface DatasetOptions extends BuildOptions {
  /** Below this many files to compile, one worker thread compiles them. Default: 500. */
  threadsFrom?: number
  /** The persistent cache; `null` or absent for none. */
  cache?: Cache | null
  /**
   * An output folder: when the cache says it holds exactly the dataset these
   * inputs give, skip the work (see `CompiledDataset.upToDate`).
   */
  reuse?: string
  /**
   * Every other option that changes what is written, as text (the CLI
   * passes the explorer page's), so that `datasetKey`, and with it the
   * up-to-date check of `reuse`, covers it. Default: none.
   */
  outputOptions?: string
  /** Told of the input files, then of each as it is compiled, before assembly (`roledoc build` writes ahead: `write-ahead.ts`). */
  listener?: CompileListener
}

/** What is told of the files as they are compiled. */
export interface CompileListener {
  /** The input files, before any is compiled. */
  start: (inputs: readonly InputKey[]) => void
  /** A file compiled on a compile thread (not one from the cache), as it comes, with its input root. */
  compiled: (unit: AssembleUnit) => void
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
  /** How the files were compiled: how many were parsed, how many came from the cache, on how many worker threads (0: none was compiled). */
  stats: CompileStats
}

/** A build by `compileDataset`: a `BuildResult`, with what the CLI keeps of it. */
export interface CompiledDataset extends BuildResult {
  /**
   * A hash of everything the dataset is made from: roledoc's code, the
   * options, and the bytes of each input as it was compiled (a file that
   * changed while the build ran is keyed by the bytes compiled).
   */
  datasetKey: string
  /** Each record's input root (posix, relative to `cwd`: the folder its `source.path` starts from), by id. */
  sourceRoots: ReadonlyMap<string, string>
  /**
   * Set when `reuse` was given and that folder already holds this very
   * dataset, untouched since roledoc wrote it: nothing was compiled, and
   * `records`, `files` and `dataset` are empty (messages and summary are those of the
   * build that wrote it).
   */
  upToDate?: true
}

/**
 * Compile `inputs` in memory, as `roledoc build` does, and write nothing:
 * the records, the messages, and the dataset's files made on demand.
 */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  if (options.rules) assertRuleSettings(options.rules)
  const result = await compileDataset({...options, cache: null})
  // What the CLI keeps of a build (its key) is not part of the API.
  return {
    get records() {
      return result.records
    },
    messages: applySeverities(result.messages, options.rules === undefined ? {} : {rules: options.rules}).messages,
    files: result.files,
    get dataset() {
      return result.dataset
    },
    summary: result.summary,
    stats: result.stats
  }
}

/** `build`, with the cache and what a rebuild may reuse (`DatasetOptions`). */
export async function compileDataset(options: DatasetOptions = {}): Promise<CompiledDataset> {
  const cwd = options.cwd ?? process.cwd()
  const inputs = options.inputs ?? ['fixtures']
  const maxFileSize = options.maxFileSize ?? defaultMaxFileSize
  const cache = options.cache ?? null
  const version = options.version ?? packageVersion
  const keyOf = (reads: Iterable<[InputFile, InputRead]>): string =>
    withOutputOptions(datasetKeyOf(version, options.formats ?? null, maxFileSize, reads), options.outputOptions)
  let walked: InputFile[] | undefined
  let streamed: StreamedReads | undefined
  let lean: LeanRecords | null = null
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
        return {records: [], messages, files: [], dataset: new Map(), summary: previous.summary, datasetKey: streamed.datasetKey, sourceRoots: new Map(), stats, upToDate: true}
      }
      // A rebuild of a folder that roledoc wrote: the files of unchanged
      // records are kept from it, so their bodies can stay in the cache.
      if (existsSync(folder)) lean = new LeanRecords(cache)
    }
  }
  walked ??= uniqueInputs(inputs, cwd)
  const {files, reads, datasetKey: readKey} = readInputs(walked, maxFileSize, cache !== null, keyOf, streamed)
  const listener = options.listener
  listener?.start(files)

  const {compiled, keys, stats} = await compileFiles(files, reads, {
    maxFileSize,
    fileTimeout: options.fileTimeout ?? defaultFileTimeout,
    workers: Math.max(1, Math.floor(options.workers ?? 1)),
    ...(options.threadsFrom === undefined ? {} : {threadsFrom: options.threadsFrom}),
    cache,
    lean,
    onProgress: (done) => options.onProgress?.(done, files.length),
    ...(listener ? {onCompiled: (index: number, compiled: LooseCompiledFile) => listener.compiled({root: (files[index] as InputFile).root, compiled})} : {}),
    ...(options.signal ? {signal: options.signal} : {})
  })
  const datasetKey = compiledKey(walked, files, reads, keys, keyOf) ?? readKey
  const units: AssembleUnit[] = files.map((input, index) => ({root: input.root, compiled: compiled[index] as LooseCompiledFile}))
  const recordKey = recordKeys(units, keys)
  const assembled = assemble(units)
  const permissions = lean?.permissionFacts ?? ownPermissions

  const messages = units.flatMap((unit) => fileMessages(unit.compiled)).sort(compareMessages)
  const provenance = {version, inputs: inputNames(inputs, cwd), files: files.length, ...(options.formats ? {formats: options.formats} : {})}
  const summary = summarize(units, assembled, permissions)
  const sourceRoots = new Map<string, string>()
  for (const unit of units) if (unit.compiled.record) sourceRoots.set(unit.compiled.record.id, unit.root)
  return datasetResult(assembled, lean, provenance, {messages, summary, datasetKey, sourceRoots, stats}, {recordKey, permissions})
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
function datasetResult(
  assembled: DatasetRecord[],
  lean: LeanRecords | null,
  provenance: Provenance,
  rest: Pick<CompiledDataset, 'messages' | 'summary' | 'datasetKey' | 'sourceRoots' | 'stats'>,
  keys: Required<Pick<DatasetFilesOptions, 'recordKey' | 'permissions'>>
): CompiledDataset {
  // Whole records only for a caller that asks (`roledoc build` writes `files`, which load bodies as they go).
  let records: DatasetRecord[] | undefined
  const wholeRecords = (): DatasetRecord[] => (records ??= lean ? assembled.map(lean.whole) : assembled)
  let dataset: Dataset | undefined
  return {
    get records() {
      return wholeRecords()
    },
    files: datasetFiles(assembled, provenance, {...keys, ...(lean ? {load: lean.whole} : {})}),
    get dataset() {
      return (dataset ??= emitDataset(wholeRecords(), provenance))
    },
    ...rest
  }
}
