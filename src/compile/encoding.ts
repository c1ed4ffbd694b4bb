/** Decoding input bytes, and finding where invalid UTF-8 starts. */

/**
 * `bytes` as text, or `null` when they are not valid in `encoding`. A UTF-8
 * byte order mark is dropped unless `keepBom`.
 */
export function decodeText(bytes: Uint8Array, encoding: 'utf-8' | 'utf-16le' = 'utf-8', keepBom = false): string | null {
  try {
    return new TextDecoder(encoding, {fatal: true, ignoreBOM: keepBom}).decode(bytes)
  } catch {
    return null
  }
}

/**
 * Byte offset where the first invalid UTF-8 sequence starts: the longest
 * prefix that decodes as a stream, less an unfinished sequence at its end.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let low = 0
  let high = bytes.length
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (decodes(bytes.subarray(0, middle), true)) low = middle
    else high = middle - 1
  }
  let start = low
  while (start > 0 && low - start < 4 && !decodes(bytes.subarray(0, start), false)) start--
  return start
}

function decodes(bytes: Uint8Array, stream: boolean): boolean {
  try {
    new TextDecoder('utf-8', {fatal: true}).decode(bytes, {stream})
    return true
  } catch {
    return false
  }
}
