/**
 * Drift between the role docs and the live role definitions: a Microsoft
 * Graph export of `GET /roleManagement/directory/roleDefinitions` is read
 * (and checked, it is input from outside) into `GraphRole`s, which are
 * compared with the docs' role records by template ID. Pure: no I/O.
 */
import {createScanner, parseTree, printParseErrorCode, type Node, type ParseError} from 'jsonc-parser'
import type {VFile} from 'vfile'
import {decodeText, invalidUtf8Offset} from '../compile/encoding.js'
import {compareStrings, report} from '../compile/messages.js'
import type {DatasetRecord, RoleRecord, SourcePoint} from '../types.js'

/** One role definition of the export, checked and normalised. */
export interface GraphRole {
  /** Lower-case GUID. */
  templateId: string
  displayName: string
  /** `true` when the export says so or does not say (so that nothing is hidden). */
  isBuiltIn: boolean
  /** `null` when the export has no `isPrivileged` (or has `null`). */
  isPrivileged: boolean | null
  /** Every `allowedResourceActions` entry of every `rolePermissions` item, sorted by code point, each once. */
  actions: string[]
  /** Where the role definition's `{` is in the export. */
  position: SourcePoint
}

/** The largest export read, in bytes (or UTF-16 code units for text). */
export const maxGraphExportSize = 64 * 1024 * 1024

/** The deepest nesting read; a roleDefinitions export is 6 levels deep. */
export const maxGraphExportDepth = 64

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const exportAgain = 'export the role definitions again with `GET /roleManagement/directory/roleDefinitions`'

/**
 * Read the export in `file.value` (text, or bytes in UTF-8 or UTF-16 LE with
 * a byte order mark): `{value: [...]}` or a bare array of
 * `unifiedRoleDefinition`. Every problem is reported on `file` as
 * `invalid-graph-export` at the offending value; invalid role definitions are
 * left out. Returns `null` when nothing usable is there (not JSON, the wrong
 * top level, too large or too deep).
 */
export function parseGraphExport(file: VFile): GraphRole[] | null {
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
  if (!checkDepth(reader)) return null
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

/** What `parseGraphExport` works with: the text, its line starts, and the file to report on. */
interface Reader {
  file: VFile
  text: string
  point: (offset: number) => SourcePoint
  fail: (place: SourcePoint, reason: string, actual?: string) => void
}

/** The most problems reported for one export; a garbled file would otherwise report one per value. */
export const maxGraphExportMessages = 100

function createReader(file: VFile, text: string): Reader {
  const lineStarts = computeLineStarts(text)
  let reported = 0
  return {
    file,
    text,
    point: (offset) => pointAt(lineStarts, offset),
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

/** Offsets where lines start (after `\n`, `\r\n` or `\r`). */
function computeLineStarts(text: string): number[] {
  const starts = [0]
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code === 13 && text.charCodeAt(index + 1) === 10) index++
    if (code === 10 || code === 13) starts.push(index + 1)
  }
  return starts
}

/** 1-based line and column (in UTF-16 code units) of `offset`. */
function pointAt(lineStarts: readonly number[], offset: number): SourcePoint {
  let low = 0
  let high = lineStarts.length - 1
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if ((lineStarts[middle] ?? 0) <= offset) low = middle
    else high = middle - 1
  }
  return {line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1}
}

// `SyntaxKind` values of jsonc-parser (a `const enum`, which isolated modules cannot read).
const openBrace = 1
const closeBrace = 2
const openBracket = 3
const closeBracket = 4
const endOfFile = 17

/**
 * Refuse nesting deeper than `maxGraphExportDepth` before the (recursive)
 * parser sees the text; the scanner reads tokens in a loop.
 */
function checkDepth(reader: Reader): boolean {
  const scanner = createScanner(reader.text, true)
  let depth = 0
  for (let token: number = scanner.scan(); token !== endOfFile; token = scanner.scan()) {
    if (token === openBrace || token === openBracket) {
      depth++
      if (depth > maxGraphExportDepth) {
        reader.fail(
          reader.point(scanner.getTokenOffset()),
          `Expected JSON nested at most ${maxGraphExportDepth} levels deep (a roleDefinitions export is about 6), found deeper nesting; ${exportAgain}`
        )
        return false
      }
    } else if (token === closeBrace || token === closeBracket) {
      depth = Math.max(0, depth - 1)
    }
  }
  return true
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

/**
 * The values of the `wanted` keys of an object node. A wanted key that comes
 * twice is reported (readers disagree on which one counts) and makes the
 * object unreadable: `null`. Other keys (`__proto__` included) are never
 * looked at; no object is built from the keys.
 */
function readProperties(reader: Reader, object: Node, where: string, wanted: ReadonlySet<string>): Map<string, Node> | null {
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

const roleKeys = new Set(['templateId', 'displayName', 'isBuiltIn', 'isPrivileged', 'rolePermissions'])
const permissionKeys = new Set(['allowedResourceActions'])

function readRoles(reader: Reader, list: Node, label: string): GraphRole[] {
  const roles: GraphRole[] = []
  const seen = new Map<string, SourcePoint>()
  const items = list.children ?? []
  for (let index = 0; index < items.length; index++) {
    const item = items[index]
    if (!item) continue
    const read = readRole(reader, item, `${label}[${index}]`)
    if (!read) continue
    const {role, templateIdPlace} = read
    const first = seen.get(role.templateId)
    if (first) {
      reader.fail(
        templateIdPlace,
        `Expected each template ID once, found \`${role.templateId}\` again (first at ${first.line}:${first.column}); remove the duplicate role definition`
      )
      continue
    }
    seen.set(role.templateId, templateIdPlace)
    roles.push(role)
  }
  return roles
}

/** One role definition (and where its template ID is), or `null` (reported) when any of its fields is wrong. */
function readRole(reader: Reader, item: Node, path: string): {role: GraphRole; templateIdPlace: SourcePoint} | null {
  const position = reader.point(item.offset)
  if (item.type !== 'object') {
    reader.fail(position, `Expected a role definition object at \`${path}\`, found ${describeNode(item)}; remove it or ${exportAgain}`, sourceOf(reader, item))
    return null
  }
  const properties = readProperties(reader, item, `the role definition \`${path}\``, roleKeys)
  if (!properties) return null
  let valid = true

  const templateId = readString(reader, properties, 'templateId', item, path)
  if (templateId !== null && !guidPattern.test(templateId.value)) {
    reader.fail(
      reader.point(templateId.node.offset),
      `Expected \`templateId\` of \`${path}\` to be a GUID such as \`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\` (hexadecimal digits), found ${quoteSnippet(templateId.value)}; ${exportAgain}`,
      templateId.value
    )
    valid = false
  }
  const displayName = readString(reader, properties, 'displayName', item, path)
  const isBuiltIn = readBoolean(reader, properties, 'isBuiltIn', path)
  const isPrivileged = readBoolean(reader, properties, 'isPrivileged', path)
  const actions = readActions(reader, properties.get('rolePermissions'), path)
  if (!templateId || !displayName || !isBuiltIn.valid || !isPrivileged.valid || !actions || !valid) return null
  const role: GraphRole = {
    templateId: templateId.value.toLowerCase(),
    displayName: displayName.value,
    isBuiltIn: isBuiltIn.value ?? true,
    isPrivileged: isPrivileged.value,
    actions,
    position
  }
  return {role, templateIdPlace: reader.point(templateId.node.offset)}
}

/** A required string field; `null` (reported) when missing or not a string. */
function readString(reader: Reader, properties: ReadonlyMap<string, Node>, key: string, item: Node, path: string): {value: string; node: Node} | null {
  const node = properties.get(key)
  if (!node) {
    reader.fail(reader.point(item.offset), `Expected a \`${key}\` in the role definition \`${path}\`, found none; export the role definitions with their \`${key}\` (do not leave it out of \`$select\`)`)
    return null
  }
  if (node.type !== 'string' || typeof node.value !== 'string') {
    reader.fail(reader.point(node.offset), `Expected \`${key}\` of \`${path}\` to be a string, found ${describeNode(node)}; ${exportAgain}`, sourceOf(reader, node))
    return null
  }
  if (node.value.trim() === '') {
    reader.fail(reader.point(node.offset), `Expected \`${key}\` of \`${path}\` to be a non-empty string, found an empty one; ${exportAgain}`, sourceOf(reader, node))
    return null
  }
  return {value: node.value, node}
}

/** An optional boolean field: `null` when missing or `null`; `valid: false` (reported) for another type. */
function readBoolean(
  reader: Reader,
  properties: ReadonlyMap<string, Node>,
  key: string,
  path: string
): {valid: true; value: boolean | null} | {valid: false} {
  const node = properties.get(key)
  if (!node || node.type === 'null') return {valid: true, value: null}
  if (node.type === 'boolean' && typeof node.value === 'boolean') return {valid: true, value: node.value}
  reader.fail(
    reader.point(node.offset),
    `Expected \`${key}\` of \`${path}\` to be \`true\` or \`false\`, found ${describeNode(node)}; write it without quotes, or leave it out`,
    sourceOf(reader, node)
  )
  return {valid: false}
}

/**
 * The actions of `rolePermissions` (missing or `null`: none), sorted and
 * unique; `null` (reported) when anything in it is not shaped like
 * `[{allowedResourceActions: [string]}]`. Other fields (`condition`,
 * `excludedResourceActions`) are ignored.
 */
function readActions(reader: Reader, node: Node | undefined, path: string): string[] | null {
  if (!node || node.type === 'null') return []
  if (node.type !== 'array') {
    reader.fail(
      reader.point(node.offset),
      `Expected \`rolePermissions\` of \`${path}\` to be an array of \`{allowedResourceActions: [...]}\` objects, found ${describeNode(node)}; ${exportAgain}`,
      sourceOf(reader, node)
    )
    return null
  }
  const actions = new Set<string>()
  let valid = true
  const permissions = node.children ?? []
  for (let index = 0; index < permissions.length; index++) {
    const permission = permissions[index]
    if (!permission) continue
    const where = `${path}.rolePermissions[${index}]`
    if (!readPermission(reader, permission, where, actions)) valid = false
  }
  return valid ? [...actions].sort(compareStrings) : null
}

/** Add the actions of one `rolePermissions` item to `actions`; `false` (reported) when it is not well formed. */
function readPermission(reader: Reader, permission: Node, where: string, actions: Set<string>): boolean {
  if (permission.type !== 'object') {
    const truncated = permission.type === 'string' ? ' (a PowerShell export needs `ConvertTo-Json -Depth 10`: the default depth writes nested objects as strings)' : ''
    reader.fail(
      reader.point(permission.offset),
      `Expected \`${where}\` to be an object with \`allowedResourceActions\`, found ${describeNode(permission)}${truncated}; ${exportAgain}`,
      sourceOf(reader, permission)
    )
    return false
  }
  const properties = readProperties(reader, permission, `\`${where}\``, permissionKeys)
  if (!properties) return false
  const list = properties.get('allowedResourceActions')
  if (!list) {
    reader.fail(reader.point(permission.offset), `Expected \`allowedResourceActions\` in \`${where}\`, found none; ${exportAgain}`)
    return false
  }
  if (list.type !== 'array') {
    reader.fail(
      reader.point(list.offset),
      `Expected \`${where}.allowedResourceActions\` to be an array of action strings, found ${describeNode(list)}; ${exportAgain}`,
      sourceOf(reader, list)
    )
    return false
  }
  let valid = true
  const entries = list.children ?? []
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]
    if (!entry) continue
    if (entry.type !== 'string' || typeof entry.value !== 'string' || entry.value === '') {
      reader.fail(
        reader.point(entry.offset),
        `Expected \`${where}.allowedResourceActions[${index}]\` to be an action such as \`microsoft.directory/users/standard/read\`, found ${describeNode(entry)}; remove it or ${exportAgain}`,
        sourceOf(reader, entry)
      )
      valid = false
      continue
    }
    actions.add(entry.value)
  }
  return valid
}

/** A JSON value in words, for messages: `the number 3`, `the string "yes"`, `an object`. */
function describeNode(node: Node): string {
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
function sourceOf(reader: Reader, node: Node): string {
  return cut(reader.text.slice(node.offset, node.offset + node.length))
}

/** Text in backticks, cut to a readable length, control characters escaped (backticks inside become `'`). */
function quoteSnippet(text: string): string {
  return `\`${escapeControls(cut(text)).replace(/`/g, "'")}\``
}

function cut(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text
}

/** Control and bidirectional-override characters as `\uXXXX`, so untrusted text cannot rewrite a terminal. */
export function escapeControls(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/** The role a drift item is about: the docs' id and name, or (only in Graph) `id: null` and the display name. */
export interface DriftRole {
  id: string | null
  name: string | null
  templateId: string | null
}

/** A place in a docs file (`path` relative to the input root, as in `source.path`). */
export interface DocsPlace {
  path: string
  line: number
  column: number
}

/** One difference between the docs and Graph. */
export type Drift =
  | {kind: 'role-only-in-docs'; role: DriftRole; privileged: boolean; actionCount: number; source: {path: string}}
  | {kind: 'role-only-in-graph'; role: DriftRole; privileged: boolean | null; actionCount: number; position: SourcePoint}
  | {kind: 'name-differs'; role: DriftRole; docs: string | null; graph: string}
  | {kind: 'privileged-differs'; role: DriftRole; docs: boolean; graph: boolean}
  | {kind: 'action-not-granted'; role: DriftRole; action: string; privileged: boolean; source: DocsPlace}
  | {kind: 'action-not-documented'; role: DriftRole; action: string}

export type DriftKind = Drift['kind']

/** The kinds in the order they are listed within a role. */
export const driftKinds: readonly DriftKind[] = [
  'role-only-in-docs',
  'role-only-in-graph',
  'name-differs',
  'privileged-differs',
  'action-not-granted',
  'action-not-documented'
]

export interface DriftSummary {
  /** Role records in the docs. */
  docsRoles: number
  /** Role definitions in the export (custom ones included). */
  graphRoles: number
  /** Docs roles whose template ID is in the export. */
  matched: number
  /** Custom (not built-in) role definitions that match no docs role: not reported. */
  ignored: number
  roleOnlyInDocs: number
  roleOnlyInGraph: number
  nameDiffers: number
  privilegedDiffers: number
  actionNotGranted: number
  actionNotDocumented: number
  /** All drift items. */
  total: number
}

export interface DriftResult {
  schemaVersion: 1
  /** The two sides as given. */
  docs: string
  graph: string
  summary: DriftSummary
  /** Every difference: docs roles by id (roles only in Graph last, by name), each role's items in `driftKinds` order, then by action. */
  drift: Drift[]
}

export interface DriftOptions {
  /** Label of the docs side. Default: `docs`. */
  docs?: string
  /** Label of the Graph export. Default: `graph`. */
  graph?: string
}

/**
 * Compare the docs' role records (fragments are ignored) with the role
 * definitions of a Graph export. Roles are matched by template ID only;
 * actions are compared exactly (case-sensitive, wildcards are not expanded).
 */
export function driftRecords(records: readonly DatasetRecord[], graph: readonly GraphRole[], options: DriftOptions = {}): DriftResult {
  const roles = records.filter((record): record is RoleRecord => record.kind === 'role')
  const byTemplate = new Map<string, GraphRole>()
  for (const role of graph) {
    const key = role.templateId.toLowerCase()
    if (!byTemplate.has(key)) byTemplate.set(key, role)
  }
  const drift: Drift[] = []
  const matched = new Set<GraphRole>()
  let matchedRoles = 0
  for (const role of roles) {
    const graphRole = role.templateId === null ? undefined : byTemplate.get(role.templateId.toLowerCase())
    if (!graphRole) {
      drift.push(onlyInDocs(role))
      continue
    }
    matchedRoles++
    matched.add(graphRole)
    drift.push(...compareRole(role, graphRole))
  }
  let ignored = 0
  for (const graphRole of byTemplate.values()) {
    if (matched.has(graphRole)) continue
    if (graphRole.isBuiltIn) drift.push(onlyInGraph(graphRole))
    else ignored++
  }
  drift.sort(compareDrift)
  return {
    schemaVersion: 1,
    docs: options.docs ?? 'docs',
    graph: options.graph ?? 'graph',
    summary: summarize(drift, {docsRoles: roles.length, graphRoles: graph.length, matched: matchedRoles, ignored}),
    drift
  }
}

function refOf(role: RoleRecord): DriftRole {
  return {id: role.id, name: role.name, templateId: role.templateId}
}

function onlyInDocs(role: RoleRecord): Drift {
  return {
    kind: 'role-only-in-docs',
    role: refOf(role),
    privileged: role.privileged,
    actionCount: role.permissions.length,
    source: {path: role.source.path}
  }
}

function onlyInGraph(role: GraphRole): Drift {
  return {
    kind: 'role-only-in-graph',
    role: {id: null, name: role.displayName, templateId: role.templateId},
    privileged: role.isPrivileged,
    actionCount: role.actions.length,
    position: {line: role.position.line, column: role.position.column}
  }
}

function compareRole(role: RoleRecord, graphRole: GraphRole): Drift[] {
  const ref = refOf(role)
  const drift: Drift[] = []
  if (role.name === null || collapse(role.name) !== collapse(graphRole.displayName)) {
    drift.push({kind: 'name-differs', role: ref, docs: role.name, graph: graphRole.displayName})
  }
  if (graphRole.isPrivileged !== null && graphRole.isPrivileged !== role.privileged) {
    drift.push({kind: 'privileged-differs', role: ref, docs: role.privileged, graph: graphRole.isPrivileged})
  }
  const granted = new Set(graphRole.actions)
  const documented = new Set<string>()
  for (const permission of role.permissions) {
    documented.add(permission.action)
    if (granted.has(permission.action)) continue
    drift.push({
      kind: 'action-not-granted',
      role: ref,
      action: permission.action,
      privileged: permission.privileged,
      source: {path: role.source.path, line: permission.position.line, column: permission.position.column}
    })
  }
  for (const action of graphRole.actions) {
    if (!documented.has(action)) drift.push({kind: 'action-not-documented', role: ref, action})
  }
  return drift
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** Docs roles by id, then roles only in Graph by name and template ID; within a role by kind, then action. */
function compareDrift(a: Drift, b: Drift): number {
  return (
    Number(a.role.id === null) - Number(b.role.id === null) ||
    compareStrings(a.role.id ?? '', b.role.id ?? '') ||
    compareStrings(a.role.name ?? '', b.role.name ?? '') ||
    compareStrings(a.role.templateId ?? '', b.role.templateId ?? '') ||
    driftKinds.indexOf(a.kind) - driftKinds.indexOf(b.kind) ||
    compareStrings(actionOf(a), actionOf(b))
  )
}

function actionOf(item: Drift): string {
  return item.kind === 'action-not-granted' || item.kind === 'action-not-documented' ? item.action : ''
}

function summarize(
  drift: readonly Drift[],
  counts: Pick<DriftSummary, 'docsRoles' | 'graphRoles' | 'matched' | 'ignored'>
): DriftSummary {
  const summary: DriftSummary = {
    ...counts,
    roleOnlyInDocs: 0,
    roleOnlyInGraph: 0,
    nameDiffers: 0,
    privilegedDiffers: 0,
    actionNotGranted: 0,
    actionNotDocumented: 0,
    total: drift.length
  }
  for (const item of drift) summary[summaryKey(item.kind)]++
  return summary
}

function summaryKey(kind: DriftKind): 'roleOnlyInDocs' | 'roleOnlyInGraph' | 'nameDiffers' | 'privilegedDiffers' | 'actionNotGranted' | 'actionNotDocumented' {
  switch (kind) {
    case 'role-only-in-docs':
      return 'roleOnlyInDocs'
    case 'role-only-in-graph':
      return 'roleOnlyInGraph'
    case 'name-differs':
      return 'nameDiffers'
    case 'privileged-differs':
      return 'privilegedDiffers'
    case 'action-not-granted':
      return 'actionNotGranted'
    case 'action-not-documented':
      return 'actionNotDocumented'
  }
}
