/**
 * The build driver: the only module (with the CLI) that touches the file
 * system. Finds the input files, compiles each with `compileRole`, and writes
 * the dataset by swapping in a complete folder.
 */
import {randomBytes} from 'node:crypto'
import {existsSync} from 'node:fs'
import {lstat, mkdir, readdir, readFile, rename, rm, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {assemble, type AssembleUnit} from './assemble.js'
import {compileFile} from './compile.js'
import {emitDataset, type Dataset} from './emit/dataset.js'
import {compareMessages, compareStrings, severityOf} from './messages.js'
import type {DatasetRecord} from './types.js'
import {version as packageVersion} from './version.js'

export interface BuildOptions {
  /** Files or folders to compile. Default: `['fixtures']`. */
  inputs?: readonly string[]
  /** Folder paths are resolved against and messages are shown relative to. Default: `process.cwd()`. */
  cwd?: string
  /** Version written to `index.json`. Default: this package's version. */
  version?: string
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
      for (const file of await walk(absolute)) {
        found.push(inputFile(file, absolute, given, cwd))
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
  for (const input of files) {
    const file = new VFile({path: input.display, value: await readFile(input.absolute)})
    units.push({root: input.root, compiled: compileFile(file, {sourcePath: input.sourcePath})})
  }
  const records = assemble(units)

  const messages = units.flatMap((unit) => unit.compiled.file.messages).sort(compareMessages)
  const roots = [...new Set(files.map((file) => file.input))]
  const dataset = emitDataset(records, {version: options.version ?? packageVersion, inputs: roots, files: files.length})
  return {records, messages, dataset, summary: summarize(units, records)}
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

/** Count messages by severity. */
export function countMessages(messages: readonly VFileMessage[]): Record<'error' | 'warning' | 'info', number> {
  const counts = {error: 0, warning: 0, info: 0}
  for (const message of messages) counts[severityOf(message)]++
  return counts
}

/**
 * Replace the folder `out` with exactly the files of `dataset`: they are
 * written to a temporary folder beside it, which is then renamed into place,
 * so a failed run leaves the previous folder as it was.
 */
export async function writeDataset(out: string, dataset: Dataset, cwd = process.cwd()): Promise<void> {
  const target = path.resolve(cwd, out)
  await assertReplaceable(target, out)
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`
  const temporary = `${target}.roledoc-tmp-${suffix}`
  const previous = `${target}.roledoc-old-${suffix}`
  await mkdir(path.dirname(target), {recursive: true})
  try {
    for (const [name, content] of dataset) {
      const destination = path.join(temporary, ...name.split('/'))
      await mkdir(path.dirname(destination), {recursive: true})
      await writeFile(destination, content)
    }
    if (existsSync(target)) await rename(target, previous)
    await rename(temporary, target)
  } finally {
    await rm(temporary, {recursive: true, force: true})
    await rm(previous, {recursive: true, force: true})
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

async function walk(folder: string): Promise<string[]> {
  const files: string[] = []
  const entries = await readdir(folder, {withFileTypes: true})
  entries.sort((a, b) => compareStrings(a.name, b.name))
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
    const absolute = path.join(folder, entry.name)
    if (entry.isDirectory()) files.push(...(await walk(absolute)))
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) files.push(absolute)
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
