/** File-system helpers that the writer, the check and the cache share. */
import {lstatSync, readdirSync, readSync, writeSync} from 'node:fs'
import path from 'node:path'
import {compareStrings} from '../compile/messages.js'

/** Write every byte of `bytes` to `fd` (a write may take fewer than it was given). */
export function writeAll(fd: number, bytes: Uint8Array): void {
  for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written)
}

const encoder = new TextEncoder()

/** One buffer that `writeText` encodes into, for every call. */
const textScratch = Buffer.allocUnsafe(1 << 16)

/**
 * Write `text` to `fd` as UTF-8, through one buffer for all calls: a new
 * buffer for each piece of a big file is memory that only a collection
 * gives back.
 */
export function writeText(fd: number, text: string): void {
  for (let rest = text; rest.length > 0; ) {
    // Whole characters only: a pair of surrogates is never split.
    const {read, written} = encoder.encodeInto(rest, textScratch)
    writeAll(fd, textScratch.subarray(0, written))
    rest = rest.slice(read)
  }
}

/** A file of a folder: its posix path in it, size and modification time. */
export interface FileStat {
  name: string
  size: number
  mtimeMs: number
}

/**
 * The files under `folder` (posix paths relative to it), one at a time in
 * `byFolderOrder`, each with its size and modification time. Names only are
 * listed, and links are not followed: the stat of each tells what it is.
 */
export function* folderFiles(folder: string, prefix = ''): Generator<FileStat> {
  for (const name of readdirSync(folder).sort(compareStrings)) {
    const full = path.join(folder, name)
    const stats = lstatSync(full)
    if (stats.isDirectory()) yield* folderFiles(full, `${prefix}${name}/`)
    else yield {name: prefix + name, size: stats.size, mtimeMs: stats.mtimeMs}
  }
}

/** Read up to `length` bytes at `position` into `buffer` (fewer only at the end of the file); returns how many. */
export function readAt(fd: number, buffer: Buffer, length: number, position: number): number {
  let done = 0
  while (done < length) {
    const read = readSync(fd, buffer, done, length - done, position + done)
    if (read === 0) break
    done += read
  }
  return done
}
