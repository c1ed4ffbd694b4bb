/**
 * The build driver: the only module (with the CLI) that touches the file
 * system. Finds the input files, compiles each with `compileRole`, and writes
 * the dataset by swapping in a complete folder.
 */
import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {existsSync, watch, type FSWatcher} from 'node:fs'
import {lstat, mkdir, readdir, readFile, realpath, rename, rm, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {assemble, type AssembleUnit} from './assemble.js'
import {compileFile, defaultMaxFileSize, type CompiledFile} from './compile.js'
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
  const units: AssembleUnit[] = []
  const maxFileSize = options.maxFileSize ?? defaultMaxFileSize
  for (const input of files) {
    units.push({root: input.root, compiled: await compileInput(input, maxFileSize)})
    options.onProgress?.(units.length, files.length)
  }
  const records = assemble(units)

  const messages = units.flatMap((unit) => unit.compiled.file.messages).sort(compareMessages)
  const roots = [...new Set(files.map((file) => file.input))]
  const dataset = emitDataset(records, {
    version: options.version ?? packageVersion,
    inputs: roots,
    files: files.length,
    ...(options.formats ? {formats: options.formats} : {})
  })
  return {records, messages, dataset, summary: summarize(units, records)}
}

/** Read and compile one input, without reading what must not be read. */
async function compileInput(input: InputFile, maxFileSize: number): Promise<CompiledFile> {
  const skip = (ruleId: RuleId, reason: string, options: ReportOptions = {}): CompiledFile => {
    const file = new VFile({path: input.display})
    report(file, ruleId, reason, {line: 1, column: 1}, options)
    return {kind: 'skipped', record: null, reference: null, messages: [...file.messages], file}
  }
  if (input.unreadable) return skip(input.unreadable.ruleId, `${input.display} ${input.unreadable.reason}`)
  const {size} = await stat(input.absolute)
  if (size > maxFileSize) {
    return skip(
      'file-too-large',
      `The file has ${size} bytes, more than the limit of ${maxFileSize}; it is skipped. Split it, or raise --max-file-size`,
      {actual: String(size), expected: [`at most ${maxFileSize}`]}
    )
  }
  const file = new VFile({path: input.display, value: await readFile(input.absolute)})
  return compileFile(file, {sourcePath: input.sourcePath, maxFileSize})
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
  const write = options.writeFile ?? ((file: string, content: string) => writeFile(file, content))
  try {
    await removeLeftovers(target)
    for (const [name, content] of dataset) {
      const destination = path.join(temporary, ...name.split('/'))
      // Ids are made safe when records are built; this keeps it so whatever they hold.
      assert(destination.startsWith(temporary + path.sep), `output path escapes the output folder: ${name}`)
      await mkdir(path.dirname(destination), {recursive: true})
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
