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

/** How a file in UTF-16 is laid out: its byte order, and whether it starts with a byte order mark. */
export interface Utf16Layout {
  order: 'little-endian' | 'big-endian'
  bom: boolean
}

/** Code units looked at to tell UTF-16 without a byte order mark. */
const utf16Sample = 256

/**
 * Whether `bytes` are UTF-16 text (which is never what a Markdown file
 * should be, and can pass for UTF-8 when it has no mark: `-` is `2D 00`):
 * a byte order mark (`FF FE`, `FE FF`), or, without one, a zero byte in the
 * same place of most of the first code units and in the other place of
 * none, as text in Latin script has. `null` when they are not.
 */
export function utf16Layout(bytes: Uint8Array): Utf16Layout | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return {order: 'little-endian', bom: true}
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return {order: 'big-endian', bom: true}
  const units = Math.min(bytes.length >> 1, utf16Sample)
  if (units < 2) return null
  let zeroFirst = 0
  let zeroSecond = 0
  for (let unit = 0; unit < units; unit++) {
    if (bytes[2 * unit] === 0) zeroFirst++
    if (bytes[2 * unit + 1] === 0) zeroSecond++
  }
  if (zeroFirst === 0 && zeroSecond * 2 >= units) return {order: 'little-endian', bom: false}
  if (zeroSecond === 0 && zeroFirst * 2 >= units) return {order: 'big-endian', bom: false}
  return null
}
