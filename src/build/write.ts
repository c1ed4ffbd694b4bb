/**
 * The build driver's writer: replaces an output folder with a dataset's
 * files, whole or not at all, keeping (by hard link or copied parts) what
 * is unchanged since roledoc last wrote it.
 */
import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {closeSync, existsSync, fstatSync, linkSync, mkdirSync, openSync, readdirSync, rmdirSync, rmSync, statSync, unlinkSync} from 'node:fs'
import {lstat, mkdir, readdir, readFile, rename, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {fileText, filesOf, type Dataset, type DatasetFile, type RecordPart} from '../emit/dataset.js'
import {asUsageError, UsageError} from './errors.js'
import {writeAll} from './fs.js'
import {OrderedLookup, PreviousFiles, readAt, type WrittenFile, type WrittenParts} from './output.js'

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
  previous?: readonly WrittenFile[] | PreviousFiles
}

/**
 * Replace the folder `out` with exactly the files of `dataset`: they are
 * written to a temporary folder beside it, which is then renamed into place,
 * so a failed or killed run leaves the previous folder as it was. A lock
 * file beside the folder makes a second build into it wait. Temporary
 * folders that a killed run left behind are removed. Files are made one at a
 * time and big ones written in chunks, so memory does not grow with the
 * dataset. Returns what was written (for `rememberOutput`). A failed system
 * call (no permission, no room, a file where a folder should be) rejects
 * with a `UsageError` that names it.
 */
export async function writeDataset(out: string, dataset: Dataset | readonly DatasetFile[], cwd = process.cwd(), options: WriteOptions = {}): Promise<WrittenFile[]> {
  try {
    return await writeFolder(out, dataset, cwd, options)
  } catch (error) {
    throw asUsageError(error, `Could not write ${out}`, 'make its folder writable (and check that the disk has room), or choose another --out')
  }
}

async function writeFolder(out: string, dataset: Dataset | readonly DatasetFile[], cwd: string, options: WriteOptions): Promise<WrittenFile[]> {
  const target = path.resolve(cwd, out)
  await assertReplaceable(target, out)
  await mkdir(path.dirname(target), {recursive: true})
  const release = await acquireLock(target, out, options.lockTimeout ?? 30_000)
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`
  const temporary = `${target}.roledoc-tmp-${suffix}`
  const previous = `${target}.roledoc-old-${suffix}`
  const before: Pick<PreviousFiles, 'get'> =
    options.previous instanceof PreviousFiles ? options.previous : new Map((options.previous ?? []).map((file) => [file[0], file]))
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
    if (readAt(from, writeScratch, length, offset) < length) throw new UsageError(`${shown} changed while roledoc was writing the folder; run again`, {help: false})
    writeAll(fd, writeScratch.subarray(0, length))
    offset += length
  }
}

/** A file written before, open, and where each record's part lies in it. */
interface PartsFile {
  fd: number
  parts: WrittenParts
  /** Which part, by its record's key (the part at `i` lies at `3 * i` in `parts`). */
  byKey: OrderedLookup
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
  return {fd, parts, byKey: new OrderedLookup(parts.length / 3, (at) => parts[3 * at] as string), shown}
}

/** Where the part of the record keyed `key` is in `before.parts` (the index of its key), or -1 when it has none. */
function findPart(before: PartsFile, key: string): number {
  const at = before.byKey.find(key)
  return at === undefined ? -1 : 3 * at
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
    const at = key !== null && before ? findPart(before, key) : -1
    let length: number
    if (before && at >= 0) {
      const offset = before.parts[at + 1] as number
      length = before.parts[at + 2] as number
      if (run && run.end === offset) {
        run.end += length
      } else {
        if (run) yield run
        run = {fd: before.fd, start: offset, end: offset + length, shown: before.shown}
      }
    } else {
      if (run) yield run
      run = null
      const text = typeof part === 'string' ? part : part.text()
      length = Buffer.byteLength(text)
      yield text
    }
    if (key !== null) written.push(key, position, length)
    position += length
  }
  if (run) yield run
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
        `Another roledoc run (process ${holder}) is writing to ${shown}; waited ${Math.round(timeout / 1000)} s. Run again when it is done, or remove ${shown}.roledoc-lock if that process is gone`,
        {help: false}
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
