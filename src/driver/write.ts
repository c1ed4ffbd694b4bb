/**
 * The build driver's writer: replaces an output folder with a dataset's
 * files, whole or not at all, under the folder's lock, keeping what is
 * unchanged since roledoc last wrote it (`incremental/keep.ts`) and what
 * was written while the inputs were compiled (`write-ahead.ts`).
 */
import assert from 'node:assert/strict'
import {createHash, type Hash} from 'node:crypto'
import {closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync} from 'node:fs'
import {mkdir} from 'node:fs/promises'
import path from 'node:path'
import {fileText, filesOf, type Dataset, type DatasetFile} from '../emit/dataset.js'
import {asUsageError, ChangedDuringRun} from './errors.js'
import {readAt, writeAll} from './fs.js'
import {acquireLock, type HeldLock} from './lock.js'
import {assertInputsOutside, assertOutputPlace, inspectOutput, manifestName, manifestText, type ManifestEntry, type OutputFolder} from './manifest.js'
import {KeptFiles, type CopyRange} from './incremental/keep.js'
import type {PreviousFiles, WrittenFile} from './incremental/written.js'
import {removeDataset, removeFolder, removeLeftovers, restoreMovedAside, swapFolders} from './swap.js'

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
  /** The build's inputs, as absolute paths: the write is refused when one of them is `out` or inside it. Default: none. */
  inputs?: readonly string[]
  /**
   * Aborting it stops the write before the new folder is renamed into
   * place: the promise rejects with its reason, the previous folder stays,
   * and the temporary one is removed.
   */
  signal?: AbortSignal
  /**
   * Files and parts written into an open write before the dataset's list
   * of files was known: the write goes on in that write's temporary folder,
   * under its lock, and keeps each that is what the dataset has. Default:
   * none (the folder is opened here).
   */
  ahead?: WrittenAhead
}

/** An output folder being replaced: under its lock, with the temporary folder beside it that the new dataset is written to. */
export interface OpenWrite {
  /** The output folder, absolute. */
  target: string
  /** The output folder as messages show it. */
  out: string
  lock: HeldLock
  /** What the output folder holds now. */
  existing: OutputFolder
  /** Where the new dataset is written (made when the first file is). */
  temporary: string
  /** Where the output folder is moved while the new one takes its place. */
  previous: string
}

/**
 * What was written into an open write while the inputs were still being
 * compiled (`write-ahead.ts`): files of single records, and the parts of
 * records in files of parts, each made from a record that assembly could
 * still change. The writer takes each that was made from the very record
 * the dataset has, and makes the others.
 */
export interface WrittenAhead {
  readonly write: OpenWrite
  /** `file` as it was made ahead, when it was made from the record it is made from now. */
  file: (file: DatasetFile) => Made | undefined
  /**
   * The content of `file`, a file of parts, with each part made ahead from
   * the record it is made from now copied from where it was made; `null`
   * when no part of it was made ahead.
   */
  parts: (file: DatasetFile) => Iterable<string | CopyRange> | null
  /** Every file of the dataset is written (`names`): remove what was made ahead and is not one of them. */
  finish: (names: ReadonlySet<string>) => void
}

/**
 * Replace the folder `out` with exactly the files of `dataset`, and
 * `manifest.json`, which lists each of them with its size and SHA-256.
 * Only a missing or empty folder, or one that roledoc wrote and that holds
 * nothing else, is replaced (see `inspectOutput`), and never one that holds
 * an input: anything else is refused with a `UsageError`. The files are
 * written to a temporary folder beside it, which is then renamed into
 * place, so a failed or killed run leaves the previous folder as it was (a
 * run killed between the two renames leaves it moved aside, and the next
 * run puts it back first). A lock file beside the folder makes a second
 * build into it wait. Temporary folders that a killed run left behind are
 * removed. Files are made one at a time and big ones written in chunks, so
 * memory does not grow with the dataset. Returns what was written (for
 * `rememberOutput`). A failed system call (no permission, no room, a file
 * where a folder should be) rejects with a `UsageError` that names it.
 */
export async function writeDataset(out: string, dataset: Dataset | readonly DatasetFile[], cwd = process.cwd(), options: WriteOptions = {}): Promise<WrittenFile[]> {
  try {
    return await writeFolder(out, dataset, cwd, options)
  } catch (error) {
    throw asUsageError(error, `Could not write ${out}`, 'make its folder writable (and check that the disk has room), or choose another --out')
  }
}

async function writeFolder(out: string, dataset: Dataset | readonly DatasetFile[], cwd: string, options: WriteOptions): Promise<WrittenFile[]> {
  const open = options.ahead?.write ?? (await openWrite(out, cwd, options))
  try {
    return await swapIn(open, dataset instanceof Map ? filesOf(dataset) : dataset, options)
  } finally {
    open.lock.release()
  }
}

/**
 * Take the lock on the output folder `out` and check that it may be
 * replaced (see `writeDataset`), putting back a dataset a killed run left
 * moved aside and removing what killed runs left beside it. The caller
 * writes into `temporary` and releases the lock; on failure, the lock is
 * released here.
 */
export async function openWrite(out: string, cwd: string, options: Pick<WriteOptions, 'lockTimeout' | 'inputs' | 'signal'> = {}): Promise<OpenWrite> {
  const target = path.resolve(cwd, out)
  assertOutputPlace(target, out, cwd)
  await mkdir(path.dirname(target), {recursive: true})
  const lock = await acquireLock(target, out, options.lockTimeout ?? 30_000, options.signal)
  try {
    restoreMovedAside(target)
    const existing = inspectOutput(target, out)
    assertInputsOutside(target, out, options.inputs ?? [], cwd)
    removeLeftovers(target, lock.refresh)
    return {target, out, lock, existing, ...swapFolders(target)}
  } catch (error) {
    lock.release()
    throw error
  }
}

/** Write the files to the temporary folder beside the output folder, then swap it in. */
async function swapIn(open: OpenWrite, files: readonly DatasetFile[], options: WriteOptions): Promise<WrittenFile[]> {
  const {target, out, lock, existing, temporary, previous} = open
  // Without what roledoc wrote before, every file is made.
  const keep = options.previous ? new KeptFiles(options.previous, existing) : null
  const ahead = options.writeFile ? null : (options.ahead ?? null)
  const written: WrittenFile[] = []
  const listed: ManifestEntry[] = []
  const names = new Set<string>()
  const folders = new Set<string>()
  const checkSignal = signalCheck(options.signal)
  try {
    for (const file of files) {
      // Between two files: where the run may stop (nothing is replaced yet).
      lock.refresh()
      await checkSignal()
      const destination = path.join(temporary, ...file.name.split('/'))
      // Ids are made safe when records are built; this keeps it so whatever they hold.
      assert(destination.startsWith(temporary + path.sep), `output path escapes the output folder: ${file.name}`)
      assert(file.name !== manifestName, `a dataset file takes the manifest's name: ${file.name}`)
      names.add(file.name)
      // Keys are only worth their cost when the cache keeps them for the next build.
      const recordKey = (options.previous && file.recordKey?.()) ?? ''
      const madeAhead = ahead?.file(file)
      if (madeAhead) {
        written.push({name: file.name, size: madeAhead.size, mtimeMs: madeAhead.mtimeMs, recordKey})
        listed.push({path: file.name, size: madeAhead.size, sha256: madeAhead.sha256})
        continue
      }
      const folder = path.dirname(destination)
      if (!folders.has(folder)) {
        mkdirSync(folder, {recursive: true})
        folders.add(folder)
      }
      const current = path.join(target, ...file.name.split('/'))
      const linked = keep?.link(file.name, recordKey, current, destination)
      if (linked) {
        written.push(linked.written)
        listed.push(linked.listed)
        continue
      }
      let made: Made
      if (keep && file.parts && !options.writeFile) {
        // A part per record: those of records as they were are copied from the file written before.
        const parts = keep.parts(file.name, file.parts(), current, `${out}/${file.name}`)
        try {
          made = writeContent(destination, parts.content)
        } finally {
          parts.close()
        }
        written.push({name: file.name, size: made.size, mtimeMs: made.mtimeMs, recordKey: '', parts: parts.written})
      } else {
        made = options.writeFile ? await writeWith(options.writeFile, destination, fileText(file)) : writeContent(destination, (file.parts && ahead?.parts(file)) || file.content())
        written.push({name: file.name, size: made.size, mtimeMs: made.mtimeMs, recordKey})
      }
      listed.push({path: file.name, size: made.size, sha256: made.sha256})
    }
    ahead?.finish(names)
    const manifest = writeContent(path.join(temporary, manifestName), manifestText(listed))
    written.push({name: manifestName, size: manifest.size, mtimeMs: manifest.mtimeMs, recordKey: ''})
    // The last moment the run may stop: after the first rename, it completes the swap.
    await checkSignal(true)
    lock.assertHeld()
    if (existsSync(target)) renameSync(target, previous)
    renameSync(temporary, target)
  } finally {
    removeFolder(temporary, lock.refresh)
    removeDataset(previous, lock.refresh)
  }
  return written
}

/** Milliseconds of writing between two looks at the signal. */
const signalInterval = 50

/**
 * What the write awaits before each file, and (`last`) before the new
 * folder is renamed into place: a look at `signal`. Files are written
 * synchronously, so a signal is seen only when the event loop turns: every
 * `signalInterval` ms, and at the last look, the write lets it turn twice
 * (a signal that came during one turn is read in the next).
 */
function signalCheck(signal: AbortSignal | undefined): (last?: boolean) => Promise<void> {
  let since = performance.now()
  return async (last = false) => {
    if (!signal || (!last && performance.now() - since < signalInterval)) return
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve))
    signal.throwIfAborted()
    since = performance.now()
  }
}

/** Bytes are gathered up to this many before they are written. */
const writeBufferSize = 1 << 20

/** One buffer for all writes: fresh memory is slow to come by, one reused buffer is not (`test/bench/HISTORY.md`). */
const writeScratch = Buffer.allocUnsafe(writeBufferSize)

/** A file made: its size, modification time and SHA-256 (for the manifest). */
export interface Made {
  size: number
  mtimeMs: number
  sha256: string
}

/**
 * Write `content` to a new file, synchronously (for thousands of small
 * files much faster than awaiting each), gathered into large writes, and
 * hashed as it is written.
 */
export function writeContent(file: string, content: string | Iterable<string | CopyRange>): Made {
  const fd = openSync(file, 'w')
  const hash = createHash('sha256')
  let used = 0
  const flush = (): void => {
    output(fd, hash, writeScratch.subarray(0, used))
    used = 0
  }
  try {
    for (const chunk of typeof content === 'string' ? [content] : content) {
      if (typeof chunk !== 'string') {
        flush()
        copyRange(chunk, fd, hash)
      } else if (chunk.length * 3 <= writeScratch.length) {
        // At most 3 bytes for each UTF-16 unit.
        if (chunk.length * 3 > writeScratch.length - used) flush()
        used += writeScratch.write(chunk, used)
      } else {
        flush()
        output(fd, hash, Buffer.from(chunk))
      }
    }
    flush()
    const stats = fstatSync(fd)
    return {size: stats.size, mtimeMs: stats.mtimeMs, sha256: hash.digest('hex')}
  } finally {
    closeSync(fd)
  }
}

function output(fd: number, hash: Hash, bytes: Uint8Array): void {
  hash.update(bytes)
  writeAll(fd, bytes)
}

/** Copy `range` to `fd` (and `hash`) through `writeScratch`. */
function copyRange({fd: from, start, end, shown}: CopyRange, fd: number, hash: Hash): void {
  for (let offset = start; offset < end; ) {
    const length = Math.min(writeScratch.length, end - offset)
    if (readAt(from, writeScratch, length, offset) < length) throw new ChangedDuringRun(`${shown} changed while roledoc was writing the folder; run again`)
    output(fd, hash, writeScratch.subarray(0, length))
    offset += length
  }
}

async function writeWith(write: (file: string, content: string) => Promise<void>, file: string, content: string): Promise<Made> {
  await write(file, content)
  const {size, mtimeMs} = statSync(file)
  return {size, mtimeMs, sha256: createHash('sha256').update(readFileSync(file)).digest('hex')}
}
