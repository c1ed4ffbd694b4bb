/**
 * Reading JSON input with the place of each value: the config file and a
 * Graph export are parsed with jsonc-parser, whose nodes carry offsets;
 * these turn an offset into the `line:column` a message shows, and refuse
 * nesting too deep for the (recursive) parser before it sees the text.
 * Pure.
 */
import {createScanner} from 'jsonc-parser'
import type {SourcePoint} from '../types.js'

/**
 * A function from an offset in `text` to its 1-based line and column (in
 * UTF-16 code units). Lines end at `\n`, `\r\n` or a lone `\r`, as editors
 * and JSON itself count them. Each call is a binary search over the line
 * starts, so that thousands of places in a large export cost little.
 */
export function createLocator(text: string): (offset: number) => SourcePoint {
  const starts = lineStarts(text)
  return (offset) => pointAt(starts, offset)
}

/** Offsets where lines start (after `\n`, `\r\n` or `\r`). */
function lineStarts(text: string): number[] {
  const starts = [0]
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code === 13 && text.charCodeAt(index + 1) === 10) index++
    if (code === 10 || code === 13) starts.push(index + 1)
  }
  return starts
}

function pointAt(starts: readonly number[], offset: number): SourcePoint {
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if ((starts[middle] ?? 0) <= offset) low = middle
    else high = middle - 1
  }
  return {line: low + 1, column: offset - (starts[low] ?? 0) + 1}
}

// `SyntaxKind` values of jsonc-parser (a `const enum`, which isolated modules cannot read).
const token = {openBrace: 1, closeBrace: 2, openBracket: 3, closeBracket: 4, endOfFile: 17} as const

/**
 * The offset where arrays and objects in `text` first nest deeper than
 * `maxDepth`, if they do: one pass of jsonc-parser's scanner, no recursion.
 * A closing bracket with nothing open is left to the parser to report.
 */
export function tooDeepAt(text: string, maxDepth: number): number | undefined {
  const scanner = createScanner(text, true)
  let depth = 0
  for (let kind: number = scanner.scan(); kind !== token.endOfFile; kind = scanner.scan()) {
    if (kind === token.openBrace || kind === token.openBracket) {
      if (++depth > maxDepth) return scanner.getTokenOffset()
    } else if (kind === token.closeBrace || kind === token.closeBracket) {
      depth = Math.max(0, depth - 1)
    }
  }
  return undefined
}
