/** File-system helpers that the cache and the writer share. */
import {writeSync} from 'node:fs'

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
