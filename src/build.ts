/**
 * The build driver: the only module (with the CLI) that touches the file
 * system. Finds the input files, compiles each with `compileRole`, and writes
 * the dataset by swapping in a complete folder.
 */
import assert from 'node:assert/strict'
import {createHash, randomBytes} from 'node:crypto'
import {existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, watch, writeFileSync, type FSWatcher} from 'node:fs'
import {lstat, mkdir, readdir, readFile, realpath, rename, rm, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {assemble, type AssembleUnit} from './assemble.js'
import {cacheKey, type Cache} from './cache.js'
import type {CompiledFile} from './compile.js'
import {defaultMaxFileSize} from './limits.js'
import {deserializeCompiled, deserializeMessages, isSerializedCompiled, serializeMessage, type SerializedCompiled} from './serialize.js'
import type {CompileTask} from './worker.js'
import {emitDataset, type Dataset, type DatasetFormat} from './emit/dataset.js'
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
  /** How many files are compiled at once: the main thread and `workers - 1` worker threads. Default: 1. */
  workers?: number
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
  dataset: Dataset
  summary: BuildSummary
  /** A hash of everything the dataset is made from (inputs, options, roledoc's code). */
  datasetKey: string
  /**
   * Set when `reuse` was given and that folder already holds this very
   * dataset, untouched since roledoc wrote it: nothing was compiled, and
   * `records` and `dataset` are empty (messages and summary are those of the
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
  const found: InputFile[] = []
  for (const input of inputs) {
    const absolute = path.resolve(cwd, input)
    const given = toPosix(path.relative(cwd, absolute)) || '.'
    let stats
    try {
      stats = await stat(absolute)
    } catch {
      throw new UsageError(`Input not found: ${input}; pass a Markdown file or a folder of them`)
    }
    if (stats.isDirectory()) {
      const root = await realpath(absolute)
      for (const {file, unreadable} of await walk(absolute, root, new Set([root]))) {
        found.push({...inputFile(file, absolute, given, cwd), ...(unreadable ? {unreadable} : {})})
      }
    } else {
      found.push(inputFile(absolute, path.dirname(absolute), given, cwd))
    }
  }
  const unique = new Map(found.map((file) => [file.absolute, file]))
  return [...unique.values()].sort((a, b) => compareStrings(a.display, b.display))
}

/** Compile `inputs` in memory: records, messages and the dataset to write. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd()
  const inputs = options.inputs ?? ['fixtures']
  const files = await findInputs(inputs, cwd)
  const maxFileSize = options.maxFileSize ?? defaultMaxFileSize
  const cache = options.cache ?? null
  const version = options.version ?? packageVersion
  const reads = readInputs(files, maxFileSize, cache !== null)
  const datasetKey = cacheKey(
    'dataset',
    version,
    JSON.stringify(options.formats ?? null),
    maxFileSize,
    ...files.map((input, index) => `${input.display}\u0000${input.root}\u0000${input.input}\u0000${reads[index]?.key ?? ''}`)
  )
  if (cache && options.reuse !== undefined) {
    const previous = await cache.get(manifestKey(path.resolve(cwd, options.reuse)), isManifest)
    if (previous && previous.datasetKey === datasetKey && outputMatches(path.resolve(cwd, options.reuse), previous)) {
      const messages = previous.messages.flatMap((item) => deserializeMessages(item.messages, item.file).messages)
      return {records: [], messages, dataset: new Map(), summary: previous.summary, datasetKey, upToDate: true}
    }
  }

  const compiled = await compileInputs(files, reads, {
    maxFileSize,
    workers: Math.max(1, Math.floor(options.workers ?? 1)),
    cache,
    onProgress: (done) => options.onProgress?.(done, files.length),
    ...(options.signal ? {signal: options.signal} : {})
  })
  const units: AssembleUnit[] = files.map((input, index) => ({root: input.root, compiled: compiled[index] as CompiledFile}))
  const records = assemble(units)

  const messages = units.flatMap((unit) => unit.compiled.file.messages).sort(compareMessages)
  const roots = [...new Set(files.map((file) => file.input))]
  const dataset = emitDataset(records, {
    version,
    inputs: roots,
    files: files.length,
    ...(options.formats ? {formats: options.formats} : {})
  })
  return {records, messages, dataset, summary: summarize(units, records), datasetKey}
}

/** What the cache remembers of a written output folder. */
interface Manifest {
  datasetKey: string
  /** Every file written: its path in the folder, size, modification time and SHA-256. */
  files: Array<[name: string, size: number, mtimeMs: number, sha256: string]>
  messages: Array<{file: string; messages: SerializedCompiled['messages']}>
  summary: BuildSummary
}

/**
 * The files of `dataset` that the folder `out` already holds, byte for byte,
 * as roledoc last wrote them (the cache remembers each file's hash, size and
 * modification time): `writeDataset` links them instead of writing.
 */
export async function unchangedFiles(
  cache: Cache,
  out: string,
  dataset: Dataset,
  hashes: ReadonlyMap<string, string>,
  cwd = process.cwd()
): Promise<Set<string>> {
  const folder = path.resolve(cwd, out)
  const manifest = await cache.get(manifestKey(folder), isManifest)
  const unchanged = new Set<string>()
  if (!manifest) return unchanged
  for (const [name, size, mtimeMs, hash] of manifest.files) {
    const content = dataset.get(name)
    if (content === undefined || Buffer.byteLength(content) !== size || hashes.get(name) !== hash) continue
    try {
      const stats = statSync(path.join(folder, ...name.split('/')))
      if (stats.size === size && stats.mtimeMs === mtimeMs) unchanged.add(name)
    } catch {
      // Gone: it is written.
    }
  }
  return unchanged
}

/** SHA-256 of each file of `dataset`, computed once for `unchangedFiles` and `rememberOutput`. */
export function hashDataset(dataset: Dataset): Map<string, string> {
  const hashes = new Map<string, string>()
  for (const [name, content] of dataset) hashes.set(name, sha256(content))
  return hashes
}

function sha256(content: string): string {
  return createHash('sha256').update(content).digest('hex')
}

function manifestKey(folder: string): string {
  return cacheKey('output', folder)
}

function isManifest(value: unknown): value is Manifest {
  if (typeof value !== 'object' || value === null) return false
  const data = value as Record<string, unknown>
  return typeof data['datasetKey'] === 'string' && Array.isArray(data['files']) && Array.isArray(data['messages']) && typeof data['summary'] === 'object' && data['summary'] !== null
}

/** Whether `folder` holds exactly the files of `manifest`, each with its size and modification time. */
function outputMatches(folder: string, manifest: Manifest): boolean {
  try {
    const present = listFilesSync(folder)
    if (present.length !== manifest.files.length) return false
    for (const [name, size, mtimeMs] of manifest.files) {
      const stats = statSync(path.join(folder, ...name.split('/')))
      if (stats.size !== size || stats.mtimeMs !== mtimeMs) return false
    }
    return true
  } catch {
    return false
  }
}

function listFilesSync(folder: string, prefix = ''): string[] {
  const names: string[] = []
  for (const entry of readdirSync(folder, {withFileTypes: true})) {
    if (entry.isDirectory()) names.push(...listFilesSync(path.join(folder, entry.name), `${prefix}${entry.name}/`))
    else names.push(prefix + entry.name)
  }
  return names
}

/** Remember that `out` now holds the dataset of `result`, so an unchanged rebuild can skip the work. */
export async function rememberOutput(
  cache: Cache,
  out: string,
  result: BuildResult,
  hashes: ReadonlyMap<string, string>,
  cwd = process.cwd()
): Promise<void> {
  const folder = path.resolve(cwd, out)
  const files: Manifest['files'] = []
  for (const [name, content] of result.dataset) {
    const stats = statSync(path.join(folder, ...name.split('/')))
    files.push([name, stats.size, stats.mtimeMs, hashes.get(name) ?? sha256(content)])
  }
  const byFile = new Map<string, SerializedCompiled['messages']>()
  for (const message of result.messages) {
    const list = byFile.get(message.file ?? '') ?? []
    list.push(serializeMessage(message))
    byFile.set(message.file ?? '', list)
  }
  const manifest: Manifest = {
    datasetKey: result.datasetKey,
    files,
    messages: [...byFile].map(([file, messages]) => ({file, messages})),
    summary: result.summary
  }
  await cache.set(manifestKey(folder), manifest)
}

interface CompileSettings {
  maxFileSize: number
  workers: number
  cache: Cache | null
  onProgress: (done: number) => void
  signal?: AbortSignal
}

/** Files compiled together in one worker task. */
const batchSize = 8

/**
 * Compile `files`, in their order: from the cache when it has them, else on
 * the main thread and, with `workers > 1`, on worker threads at the same
 * time. Every path gives the same result (tests check the bytes).
 */
/** An input after the checks and the read: a result already (skipped), or its bytes and cache key. */
interface InputRead {
  early?: CompiledFile
  bytes?: Uint8Array
  key: string | null
}

/** Check and read every input (synchronously: for many small files much faster than awaiting each). */
function readInputs(files: readonly InputFile[], maxFileSize: number, keyed: boolean): InputRead[] {
  return files.map((input) => {
    const early = precheck(input, maxFileSize)
    if (early) return {early, key: cacheKey('skip', String(early.messages[0]?.ruleId), String(early.messages[0]?.reason))}
    const bytes = readFileSync(input.absolute)
    return {bytes, key: keyed ? cacheKey('compile', input.sourcePath, maxFileSize, bytes) : null}
  })
}

async function compileInputs(files: readonly InputFile[], reads: readonly InputRead[], settings: CompileSettings): Promise<CompiledFile[]> {
  const results: Array<CompiledFile | undefined> = Array.from({length: files.length})
  const pending: Array<{index: number; task: CompileTask; key: string | null}> = []
  let done = 0
  const finish = (index: number, compiled: CompiledFile): void => {
    results[index] = compiled
    settings.onProgress(++done)
  }

  for (const [index, input] of files.entries()) {
    const {early, bytes, key} = reads[index] as InputRead
    if (early) {
      finish(index, early)
      continue
    }
    if (!bytes) continue
    const hit = key && settings.cache ? await settings.cache.get(key, isSerializedCompiled) : undefined
    if (hit) finish(index, deserializeCompiled(hit, input.display))
    else pending.push({index, task: {display: input.display, sourcePath: input.sourcePath, bytes, maxFileSize: settings.maxFileSize}, key})
  }

  const batches: Array<typeof pending> = []
  for (let start = 0; start < pending.length; start += batchSize) batches.push(pending.slice(start, start + batchSize))
  const store = async (batch: typeof pending, output: SerializedCompiled[]): Promise<void> => {
    for (const [offset, item] of batch.entries()) {
      const data = output[offset] as SerializedCompiled
      finish(item.index, deserializeCompiled(data, item.task.display))
      if (item.key && settings.cache) await settings.cache.set(item.key, data)
    }
  }

  if (batches.length === 0) return finished(results)
  // Loaded only when something is compiled: an all-cached build never loads the parser.
  const {default: compileBatch} = await import('./worker.js')
  const threads = Math.min(settings.workers - 1, Math.max(0, batches.length - 1))
  const Tinypool = threads > 0 ? (await import('tinypool')).default : undefined
  const pool = Tinypool ? new Tinypool({filename: workerUrl().href, minThreads: threads, maxThreads: threads}) : undefined
  try {
    // The main thread and the pool's threads take batches from one queue.
    let next = 0
    const take = (): typeof pending | undefined => {
      settings.signal?.throwIfAborted()
      return batches[next++]
    }
    const onPool = async (): Promise<void> => {
      for (let batch = take(); batch; batch = take()) {
        const output = (await pool?.run(batch.map((item) => item.task))) as SerializedCompiled[]
        await store(batch, output)
      }
    }
    const onMain = async (): Promise<void> => {
      for (let batch = take(); batch; batch = take()) {
        await store(batch, compileBatch(batch.map((item) => item.task)))
        // Let the pool's results in between batches.
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    const runners = [onMain()]
    for (let thread = 0; thread < threads; thread++) runners.push(onPool())
    await Promise.all(runners)
  } finally {
    await pool?.destroy()
  }
  return finished(results)
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

/** A result for an input that must not be read (a link out, a broken link, too large), else undefined. */
function precheck(input: InputFile, maxFileSize: number): CompiledFile | undefined {
  const skip = (ruleId: RuleId, reason: string, options: ReportOptions = {}): CompiledFile => {
    const file = new VFile({path: input.display})
    report(file, ruleId, reason, {line: 1, column: 1}, options)
    return {kind: 'skipped', record: null, reference: null, messages: [...file.messages], file}
  }
  if (input.unreadable) return skip(input.unreadable.ruleId, `${input.display} ${input.unreadable.reason}`)
  const {size} = statSync(input.absolute)
  if (size > maxFileSize) {
    return skip(
      'file-too-large',
      `The file has ${size} bytes, more than the limit of ${maxFileSize}; it is skipped. Split it, or raise --max-file-size`,
      {actual: String(size), expected: [`at most ${maxFileSize}`]}
    )
  }
  return undefined
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

/** Compare `dataset` with what the folder `out` holds; writes nothing. */
export async function checkDataset(out: string, dataset: Dataset, cwd = process.cwd()): Promise<CheckResult> {
  const target = path.resolve(cwd, out)
  const present = new Set(existsSync(target) ? await listFiles(target) : [])
  const result: CheckResult = {stale: [], missing: [], extra: []}
  for (const [name, content] of dataset) {
    if (!present.has(name)) result.missing.push(name)
    else if ((await readFile(path.join(target, ...name.split('/')), 'utf8')) !== content) result.stale.push(name)
  }
  for (const name of present) if (!dataset.has(name)) result.extra.push(name)
  for (const list of Object.values(result)) list.sort(compareStrings)
  return result
}

async function listFiles(folder: string, prefix = ''): Promise<string[]> {
  const names: string[] = []
  for (const entry of await readdir(folder, {withFileTypes: true})) {
    const name = prefix + entry.name
    if (entry.isDirectory()) names.push(...(await listFiles(path.join(folder, entry.name), `${name}/`)))
    else names.push(name)
  }
  return names
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
  /** Writes one file (for tests that make a write fail). Default: `fs.writeFile`. */
  writeFile?: (file: string, content: string) => Promise<void>
  /**
   * Files whose content the current output folder already holds (see
   * `unchangedFiles`): hard-linked from it instead of written again.
   */
  unchanged?: ReadonlySet<string>
}

/**
 * Replace the folder `out` with exactly the files of `dataset`: they are
 * written to a temporary folder beside it, which is then renamed into place,
 * so a failed or killed run leaves the previous folder as it was. A lock
 * file beside the folder makes a second build into it wait. Temporary
 * folders that a killed run left behind are removed.
 */
export async function writeDataset(out: string, dataset: Dataset, cwd = process.cwd(), options: WriteOptions = {}): Promise<void> {
  const target = path.resolve(cwd, out)
  await assertReplaceable(target, out)
  await mkdir(path.dirname(target), {recursive: true})
  const release = await acquireLock(target, out, options.lockTimeout ?? 30_000)
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`
  const temporary = `${target}.roledoc-tmp-${suffix}`
  const previous = `${target}.roledoc-old-${suffix}`
  // Synchronous writes: for thousands of small files much faster than awaiting each.
  const write = options.writeFile ?? ((file: string, content: string) => Promise.resolve(writeFileSync(file, content)))
  const folders = new Set<string>()
  try {
    await removeLeftovers(target)
    for (const [name, content] of dataset) {
      const destination = path.join(temporary, ...name.split('/'))
      // Ids are made safe when records are built; this keeps it so whatever they hold.
      assert(destination.startsWith(temporary + path.sep), `output path escapes the output folder: ${name}`)
      const folder = path.dirname(destination)
      if (!folders.has(folder)) {
        mkdirSync(folder, {recursive: true})
        folders.add(folder)
      }
      if (options.unchanged?.has(name) && linkFrom(path.join(target, ...name.split('/')), destination)) continue
      await write(destination, content)
    }
    if (existsSync(target)) await rename(target, previous)
    await rename(temporary, target)
  } finally {
    await rm(temporary, {recursive: true, force: true})
    await rm(previous, {recursive: true, force: true})
    await release()
  }
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
async function walk(folder: string, root: string, seen: Set<string>): Promise<Walked[]> {
  const files: Walked[] = []
  const entries = await readdir(folder, {withFileTypes: true})
  entries.sort((a, b) => compareStrings(a.name, b.name))
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
    const absolute = path.join(folder, entry.name)
    const isMarkdown = entry.name.toLowerCase().endsWith('.md')
    if (entry.isSymbolicLink()) {
      let target: string
      let stats
      try {
        target = await realpath(absolute)
        stats = await stat(target)
      } catch {
        if (isMarkdown) files.push({file: absolute, unreadable: {ruleId: 'unparseable', reason: 'is a broken symbolic link; it is skipped. Fix or remove the link'}})
        continue
      }
      if (target !== root && !target.startsWith(root + path.sep)) {
        if (isMarkdown || stats.isDirectory()) {
          files.push({file: absolute, unreadable: {ruleId: 'include-outside-root', reason: 'is a symbolic link to a place outside the input root; it is not read'}})
        }
      }
      // A link to a place inside the root is not followed: that place is
      // walked (and its files compiled) under its own name.
      continue
    }
    if (entry.isDirectory()) {
      const real = await realpath(absolute)
      if (seen.has(real)) continue
      seen.add(real)
      files.push(...(await walk(absolute, root, seen)))
    } else if (entry.isFile() && isMarkdown) {
      const real = await realpath(absolute)
      if (seen.has(real)) continue
      seen.add(real)
      files.push({file: absolute})
    }
  }
  return files
}

function inputFile(absolute: string, folder: string, input: string, cwd: string): InputFile {
  return {
    absolute,
    display: toPosix(path.relative(cwd, absolute)) || path.basename(absolute),
    input,
    root: toPosix(path.relative(cwd, folder)) || '.',
    sourcePath: toPosix(path.relative(folder, absolute))
  }
}

function toPosix(value: string): string {
  return value.split(path.sep).join('/')
}
