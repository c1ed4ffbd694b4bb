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
import {compileRole} from './compile.js'
import {emitDataset, type Dataset} from './emit/dataset.js'
import {compareMessages, compareStrings, report, severityOf} from './messages.js'
import type {RoleRecord} from './types.js'

export interface BuildOptions {
  /** Files or folders to compile. Default: `['fixtures']`. */
  inputs?: readonly string[]
  /** Folder paths are resolved against and messages are shown relative to. Default: `process.cwd()`. */
  cwd?: string
}

export interface InputFile {
  /** Absolute path. */
  absolute: string
  /** Posix path relative to `cwd`, as messages show it. */
  display: string
  /** Posix path relative to the input root (the folder given, or the file's folder). */
  sourcePath: string
}

export interface BuildResult {
  records: RoleRecord[]
  messages: VFileMessage[]
  dataset: Dataset
  /** Number of input files read. */
  fileCount: number
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
    let stats
    try {
      stats = await stat(absolute)
    } catch {
      throw new UsageError(`Input not found: ${input}; pass a Markdown file or a folder of them`)
    }
    if (stats.isDirectory()) {
      for (const file of await walk(absolute)) {
        found.push(inputFile(file, absolute, cwd))
      }
    } else {
      found.push(inputFile(absolute, path.dirname(absolute), cwd))
    }
  }
  const unique = new Map(found.map((file) => [file.absolute, file]))
  return [...unique.values()].sort((a, b) => compareStrings(a.display, b.display))
}

/** Compile `inputs` in memory: records, messages and the dataset to write. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd()
  const files = await findInputs(options.inputs ?? ['fixtures'], cwd)
  const records: RoleRecord[] = []
  const messages: VFileMessage[] = []
  const owners = new Map<string, VFile>()

  for (const input of files) {
    const file = new VFile({path: input.display, value: await readFile(input.absolute)})
    const result = compileRole(file, {sourcePath: input.sourcePath})
    const record = result.record
    if (record) {
      const owner = owners.get(record.id)
      if (owner) {
        report(
          file,
          'duplicate-id',
          `Record id \`${record.id}\` is also produced by ${owner.path}; rename one of the files`,
          {line: 1, column: 1}
        )
      } else {
        owners.set(record.id, file)
        records.push(record)
      }
    }
    messages.push(...file.messages)
  }

  messages.sort(compareMessages)
  return {records, messages, dataset: emitDataset(records), fileCount: files.length}
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

function inputFile(absolute: string, root: string, cwd: string): InputFile {
  return {
    absolute,
    display: toPosix(path.relative(cwd, absolute)) || path.basename(absolute),
    sourcePath: toPosix(path.relative(root, absolute))
  }
}

function toPosix(value: string): string {
  return value.split(path.sep).join('/')
}
