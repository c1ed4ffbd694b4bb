/**
 * What reading a Graph export reports with: the text, where each offset
 * is, and the file that collects the messages (at most
 * `maxGraphExportMessages`); and how a JSON value is named in them.
 */
import type {Node} from 'jsonc-parser'
import type {VFile} from 'vfile'
import {createLocator} from '../../compile/json-source.js'
import {report} from '../../compile/messages.js'
import {escapeControls} from '../../compile/syntax.js'
import type {SourcePoint} from '../../types.js'

export const exportAgain = 'export the role definitions again with `GET /roleManagement/directory/roleDefinitions`'

/** What `parseGraphExport` works with: the text, its line starts, and the file to report on. */
export interface Reader {
  file: VFile
  text: string
  point: (offset: number) => SourcePoint
  fail: (place: SourcePoint, reason: string, actual?: string) => void
}

/** The most problems reported for one export; a garbled file would otherwise report one per value. */
export const maxGraphExportMessages = 100

export function createReader(file: VFile, text: string): Reader {
  const point = createLocator(text)
  let reported = 0
  return {
    file,
    text,
    point,
    fail(place, reason, actual) {
      reported++
      if (reported > maxGraphExportMessages + 1) return
      if (reported > maxGraphExportMessages) {
        report(file, 'invalid-graph-export', `Expected a few problems, found more than ${maxGraphExportMessages}; fix these and run again to see the rest`, place)
        return
      }
      report(file, 'invalid-graph-export', reason, place, actual === undefined ? {} : {actual})
    }
  }
}
/**
 * The values of the `wanted` keys of an object node. A wanted key that comes
 * twice is reported (readers disagree on which one counts) and makes the
 * object unreadable: `null`. Other keys (`__proto__` included) are never
 * looked at; no object is built from the keys.
 */
export function readProperties(reader: Reader, object: Node, where: string, wanted: ReadonlySet<string>): Map<string, Node> | null {
  const found = new Map<string, Node>()
  let duplicate = false
  for (const property of object.children ?? []) {
    const key = property.children?.[0]
    const value = property.children?.[1]
    if (!key || !value || typeof key.value !== 'string' || !wanted.has(key.value)) continue
    if (found.has(key.value)) {
      reader.fail(reader.point(key.offset), `Expected \`${key.value}\` once in ${where}, found it twice; remove one of them`)
      duplicate = true
      continue
    }
    found.set(key.value, value)
  }
  return duplicate ? null : found
}
/** A JSON value in words, for messages: `the number 3`, `the string "yes"`, `an object`. */
export function describeNode(node: Node): string {
  switch (node.type) {
    case 'string':
      return typeof node.value === 'string' && node.value === '' ? 'an empty string' : `the string ${quoteSnippet(String(node.value))}`
    case 'number':
      return `the number ${String(node.value)}`
    case 'boolean':
      return `\`${String(node.value)}\``
    case 'null':
      return '`null`'
    case 'array':
      return 'an array'
    case 'object':
      return 'an object'
    default:
      return 'something else'
  }
}

/** The source text of a node, cut to a readable length. */
export function sourceOf(reader: Reader, node: Node): string {
  return cut(reader.text.slice(node.offset, node.offset + node.length))
}

/** Text in backticks, cut to a readable length, control characters escaped (backticks inside become `'`). */
export function quoteSnippet(text: string): string {
  return `\`${escapeControls(cut(text)).replace(/`/g, "'")}\``
}

function cut(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text
}
