/** A file-system helper that the cache and the writer share. */
import {writeSync} from 'node:fs'

/** Write every byte of `bytes` to `fd` (a write may take fewer than it was given). */
export function writeAll(fd: number, bytes: Uint8Array): void {
  for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written)
}
