/**
 * The Microsoft Graph export that `roledoc drift` compares the docs with:
 * `GET /roleManagement/directory/roleDefinitions` as JSON, read strictly
 * (it is input from outside) into `GraphRole`s, with an
 * `invalid-graph-export` message at the place of every problem. Pure: no
 * I/O. `roles.ts` reads each role definition; `reader.ts` is what both
 * report with.
 */
import {parseTree, printParseErrorCode, type Node, type ParseError} from 'jsonc-parser'
import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {toFile, type CompileInput} from '../../compile/input.js'
import {decodeText, invalidUtf8Offset} from '../../compile/encoding.js'
import {tooDeepAt} from '../../compile/json-source.js'
import {report} from '../../compile/messages.js'
import {createReader, describeNode, exportAgain, quoteSnippet, readProperties, sourceOf, type Reader} from './reader.js'
import {readRoles, type GraphRole} from './roles.js'

export type {GraphRole} from './roles.js'

/** The largest export read, in bytes (or UTF-16 code units for text). */
export const maxGraphExportSize = 64 * 1024 * 1024

/** The deepest nesting read; a roleDefinitions export is 6 levels deep. */
export const maxGraphExportDepth = 64

/** What `parseGraphExport` returns. */
export interface GraphExport {
  /** The role definitions, or `null` when nothing usable is there (not JSON, the wrong top level, too large or too deep). */
  roles: GraphRole[] | null
  /** Every problem, an `invalid-graph-export` message at the offending value. */
  messages: VFileMessage[]
  /** The file the messages are attached to. */
  file: VFile
}

/**
 * Read a Graph export as `roledoc drift` does: `input` is its text, its
 * bytes (UTF-8, or UTF-16 LE with a byte order mark, as PowerShell saves
 * it: a `Buffer` from `readFile` is fine), or a VFile of either; `path`
 * names a file given as text or bytes in the messages. Invalid role
 * definitions are left out, each with its message.
 */
export function parseGraphExport(input: CompileInput, options: {path?: string} = {}): GraphExport {
  const file = toFile(input, options.path)
  const roles = readGraphExport(file)
  return {roles, messages: [...file.messages], file}
}

/**
 * Read the export in `file.value`: `{value: [...]}` or a bare array of
 * `unifiedRoleDefinition`. Every problem is reported on `file` as
 * `invalid-graph-export` at the offending value; invalid role definitions are
 * left out. Returns `null` when nothing usable is there.
 */
function readGraphExport(file: VFile): GraphRole[] | null {
  const size = typeof file.value === 'string' ? file.value.length : file.value.byteLength
  if (size > maxGraphExportSize) {
    reportTooLarge(file, size)
    return null
  }
  const text = exportText(file)
  if (text === null) return null
  const reader = createReader(file, text)

  if (text.trim() === '') {
    reader.fail({line: 1, column: 1}, `Expected a JSON export of role definitions, found an empty file; ${exportAgain}`)
    return null
  }
  const deep = tooDeepAt(text, maxGraphExportDepth)
  if (deep !== undefined) {
    reader.fail(
      reader.point(deep),
      `Expected JSON nested at most ${maxGraphExportDepth} levels deep (a roleDefinitions export is about 6), found deeper nesting; ${exportAgain}`
    )
    return null
  }
  const errors: ParseError[] = []
  const tree = parseTree(text, errors, {disallowComments: true, allowTrailingComma: false, allowEmptyContent: false})
  const first = errors[0]
  if (first || !tree) {
    const comma = first ? trailingComma(text, first) : -1
    const offset = comma === -1 ? (first?.offset ?? 0) : comma
    const afterValue = first !== undefined && tree !== undefined && first.offset >= tree.offset + tree.length
    const found =
      comma !== -1
        ? 'a comma with no value after it'
        : afterValue
          ? `more text after the JSON value at ${quoteSnippet(text.slice(first.offset, first.offset + Math.max(first.length, 1)))}`
          : describeParseError(first, text)
    reader.fail(reader.point(offset), `Expected valid JSON, found ${found}; fix the file or ${exportAgain}`)
    return null
  }

  const list = findRoleList(reader, tree)
  if (!list) return null
  return readRoles(reader, list.node, list.label)
}

/**
 * Report that an export of `size` bytes is too large to read; for callers
 * that check the size before reading the file.
 */
export function reportTooLarge(file: VFile, size: number): void {
  report(
    file,
    'invalid-graph-export',
    `Expected a Graph export of at most ${maxGraphExportSize} bytes, found ${size}; export only the role definitions (\`GET /roleManagement/directory/roleDefinitions\`)`,
    {line: 1, column: 1}
  )
}

/** The text of the export: strings as given, bytes decoded; a leading byte order mark dropped. */
function exportText(file: VFile): string | null {
  const value = file.value
  if (typeof value === 'string') return value.startsWith('\uFEFF') ? value.slice(1) : value
  if (value[0] === 0xff && value[1] === 0xfe) {
    const text = decodeText(value.subarray(2), 'utf-16le', true)
    if (text === null) {
      report(file, 'invalid-graph-export', 'Expected UTF-16 text after the UTF-16 byte order mark, found invalid code units; save the export as UTF-8', {line: 1, column: 1})
    }
    return text
  }
  if (value[0] === 0xfe && value[1] === 0xff) {
    report(file, 'invalid-graph-export', 'Expected UTF-8 (or UTF-16 LE) text, found UTF-16 BE; save the export as UTF-8', {line: 1, column: 1})
    return null
  }
  const start = value[0] === 0xef && value[1] === 0xbb && value[2] === 0xbf ? 3 : 0
  const text = decodeText(value.subarray(start), 'utf-8', true)
  if (text === null) {
    report(
      file,
      'invalid-graph-export',
      `Expected UTF-8 text, found invalid bytes at byte offset ${start + invalidUtf8Offset(value.subarray(start))}; save the export as UTF-8`,
      {line: 1, column: 1}
    )
  }
  return text
}
/** `printParseErrorCode` names in words. */
const parseErrorPhrases: Record<string, string> = {
  InvalidSymbol: 'a character that does not start a JSON value',
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'no property name in double quotes',
  ValueExpected: 'no value',
  ColonExpected: 'no `:` after a property name',
  CommaExpected: 'no `,` between two values',
  CloseBraceExpected: 'no closing `}`',
  CloseBracketExpected: 'no closing `]`',
  EndOfFileExpected: 'more text after the JSON value',
  InvalidCommentToken: 'a comment (JSON has no comments)',
  UnexpectedEndOfComment: 'a comment that does not end',
  UnexpectedEndOfString: 'a string that does not end on its line',
  UnexpectedEndOfNumber: 'a number that does not end',
  InvalidUnicode: 'an invalid `\\u` escape',
  InvalidEscapeCharacter: 'an invalid escape',
  InvalidCharacter: 'a raw control character (such as a tab or line break) inside a string'
}

function describeParseError(error: ParseError | undefined, text: string): string {
  if (!error) return 'no value'
  const phrase = parseErrorPhrases[printParseErrorCode(error.error)] ?? 'invalid JSON'
  const snippet = text.slice(error.offset, error.offset + Math.max(error.length, 1))
  return snippet.trim() === '' ? `${phrase} at the end` : `${phrase} at ${quoteSnippet(snippet)}`
}

/** The offset of the comma before a missing value or key (`[1,]`, `{"a": 1,}`), or -1. */
function trailingComma(text: string, error: ParseError): number {
  const name = printParseErrorCode(error.error)
  if (name !== 'ValueExpected' && name !== 'PropertyNameExpected') return -1
  let index = error.offset - 1
  while (index >= 0 && /\s/.test(text.charAt(index))) index--
  return text.charAt(index) === ',' ? index : -1
}

/** The array of role definitions: `value` of the top-level object, or the top-level array. */
function findRoleList(reader: Reader, tree: Node): {node: Node; label: string} | null {
  if (tree.type === 'array') return {node: tree, label: ''}
  const start = reader.point(tree.offset)
  if (tree.type !== 'object') {
    reader.fail(
      start,
      `Expected an object with a \`value\` array (the response of \`GET /roleManagement/directory/roleDefinitions\`) or an array of role definitions, found ${describeNode(tree)}; ${exportAgain}`,
      sourceOf(reader, tree)
    )
    return null
  }
  const properties = readProperties(reader, tree, 'the top level', new Set(['value', '@odata.nextLink']))
  if (!properties) return null
  const nextLink = properties.get('@odata.nextLink')
  if (nextLink && nextLink.type !== 'null') {
    reader.fail(
      reader.point(nextLink.offset),
      'Expected the whole list of role definitions, found `@odata.nextLink` (this is one page of results); follow the next links and join their `value` arrays, or export with `Get-MgRoleManagementDirectoryRoleDefinition -All`'
    )
  }
  const value = properties.get('value')
  if (!value) {
    const single = hasKey(tree, 'templateId') || hasKey(tree, 'rolePermissions')
    reader.fail(
      start,
      single
        ? 'Expected a `value` array of role definitions, found a single role definition; put it in an array (`[ … ]`) or export the whole list'
        : `Expected an object with a \`value\` array of role definitions, found an object without \`value\`; ${exportAgain}`
    )
    return null
  }
  if (value.type !== 'array') {
    reader.fail(
      reader.point(value.offset),
      `Expected \`value\` to be an array of role definitions, found ${describeNode(value)}; ${exportAgain}`,
      sourceOf(reader, value)
    )
    return null
  }
  return {node: value, label: 'value'}
}

function hasKey(object: Node, key: string): boolean {
  for (const property of object.children ?? []) if (property.children?.[0]?.value === key) return true
  return false
}
