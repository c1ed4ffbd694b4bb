/**
 * Mutations of real role files for property-based tests: what editors,
 * merges, copy-paste and hostile pull requests do to Markdown.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import {VFile} from 'vfile'
import {compileFile} from '../../src/index.js'
import {includes} from './paths.js'

/** Small and mid-size real files: the fuzzer's starting points. */
export const seeds = [
  'partner-tier1-support.md',
  'helpdesk-administrator.md',
  'compliance-administrator.md',
  'attribute-assignment-reader.md',
  'purview-workload-content-reader.md',
  'modern-commerce-administrator.md',
  'microsoft-365-migration-administrator.md',
  'authentication-table-include.md',
  'virtual-visits-administrator.md'
].map((name) => ({name, bytes: readFileSync(path.join(includes, name))}))

type Mutation = (bytes: Buffer) => Buffer

/** Longest inserted run: kept small in the test suite, larger in `npm run fuzz`. */
const longest = Number(process.env['ROLEDOC_FUZZ_LONGEST'] ?? 5000)

const text = (bytes: Buffer): string => bytes.toString('utf8')
const lines = (bytes: Buffer): string[] => text(bytes).split('\n')
const fromLines = (list: string[]): Buffer => Buffer.from(list.join('\n'))
const at = (length: number, ratio: number): number => Math.floor(ratio * (length + 1)) % (length + 1)

/** A ratio in [0, 1) used to pick a place, so a mutation fits any file. */
const place = fc.double({min: 0, max: 1, maxExcluded: true, noNaN: true})

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Truncation at any byte (it may cut a UTF-8 sequence).
  place.map((ratio) => (bytes: Buffer) => bytes.subarray(0, at(bytes.length, ratio))),
  // A line deleted, or doubled.
  place.map((ratio) => (bytes: Buffer) => {
    const list = lines(bytes)
    list.splice(at(list.length - 1, ratio), 1)
    return fromLines(list)
  }),
  place.map((ratio) => (bytes: Buffer) => {
    const list = lines(bytes)
    const index = at(list.length - 1, ratio)
    list.splice(index, 0, list[index] ?? '')
    return fromLines(list)
  }),
  // A pipe removed, or one added.
  place.map((ratio) => (bytes: Buffer) => {
    const value = text(bytes)
    const pipes = [...value.matchAll(/\|/g)].map((match) => match.index)
    const index = pipes[at(pipes.length - 1, ratio)]
    return index === undefined ? bytes : Buffer.from(value.slice(0, index) + value.slice(index + 1))
  }),
  place.map((ratio) => (bytes: Buffer) => {
    const value = text(bytes)
    const index = at(value.length, ratio)
    return Buffer.from(value.slice(0, index) + '|' + value.slice(index))
  }),
  // CRLF, a BOM, tabs, NBSP.
  fc.constant((bytes: Buffer) => Buffer.from(text(bytes).replace(/\n/g, '\r\n'))),
  fc.constant((bytes: Buffer) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes])),
  fc.constant((bytes: Buffer) => Buffer.from(text(bytes).replace(/ {2}/g, '\t'))),
  fc.constant((bytes: Buffer) => Buffer.from(text(bytes).replace(/ /g, '\u00a0'))),
  // A very long cell or line.
  fc.tuple(place, fc.integer({min: 1000, max: longest}), fc.constantFrom('x', 'a b ', '|', '[', '*', '`', '\\')).map(
    ([ratio, length, unit]) =>
      (bytes: Buffer) => {
        const value = text(bytes)
        const index = at(value.length, ratio)
        return Buffer.from(value.slice(0, index) + unit.repeat(Math.ceil(length / unit.length)) + value.slice(index))
      }
  ),
  // Deeply nested quotes (and lists).
  fc.tuple(place, fc.integer({min: 2, max: 400}), fc.constantFrom('>', '> ', '- ', '1. ', '  - ')).map(
    ([ratio, depth, unit]) =>
      (bytes: Buffer) => {
        const list = lines(bytes)
        list.splice(at(list.length, ratio), 0, `${unit.repeat(depth)}deep`)
        return fromLines(list)
      }
  ),
  // Random Unicode, lone surrogates included.
  fc.tuple(place, fc.string({unit: 'binary', maxLength: 64})).map(([ratio, junk]) => (bytes: Buffer) => {
    const value = text(bytes)
    const index = at(value.length, ratio)
    return Buffer.from(value.slice(0, index) + junk + value.slice(index))
  }),
  // Random bytes (invalid UTF-8 included).
  fc.tuple(place, fc.uint8Array({minLength: 1, maxLength: 16})).map(([ratio, junk]) => (bytes: Buffer) => {
    const index = at(bytes.length, ratio)
    return Buffer.concat([bytes.subarray(0, index), Buffer.from(junk), bytes.subarray(index)])
  })
)

export const mutated = fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, {minLength: 1, maxLength: 4})).map(([seed, mutations]) => {
  let bytes: Buffer = seed.bytes
  for (const mutate of mutations) bytes = mutate(bytes)
  return {name: seed.name, bytes}
})

/**
 * Longest a compile may take before it counts as a hang: 2 s, plus 50 µs a
 * byte (micromark reads runs of `[` or `\\` at about 15 µs a byte; the slack
 * is for a loaded machine). A hang, an exponential or a quadratic blow-up
 * exceeds it by far.
 */
export function hangLimit(bytes: number): number {
  return 2000 + bytes * 0.05
}

/**
 * The property: compiling never throws, never hangs, and gives a record or
 * messages, every message placed inside the file.
 */
export function checkCompiles(bytes: Uint8Array, name = 'fuzz.md'): void {
  const started = performance.now()
  const result = compileFile(new VFile({path: name, value: bytes}))
  const elapsed = performance.now() - started
  // Plain checks rather than `expect`: this runs ten thousand times.
  const limit = hangLimit(bytes.length)
  if (elapsed > limit) throw new Error(`compiling ${bytes.length} bytes took ${Math.round(elapsed)} ms, more than ${Math.round(limit)}`)
  if (result.record === null && result.reference === null && result.messages.length === 0) {
    throw new Error('no record and no message')
  }
  const value = new TextDecoder().decode(bytes)
  const lineCount = value.split(/\r\n|\r|\n/).length
  for (const message of result.messages) {
    const line = message.line ?? 0
    const column = message.column ?? 0
    if (line < 1 || line > lineCount || column < 1 || typeof message.ruleId !== 'string') {
      throw new Error(`message outside the file (${lineCount} lines): ${String(message)} ${message.ruleId}`)
    }
  }
}
