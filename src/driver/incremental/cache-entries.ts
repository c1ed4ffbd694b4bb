/**
 * What the build driver takes back from the cache: a compiled file is
 * checked as strictly as the dataset's JSON Schemas check a record
 * (`schema/role.schema.json`, `schema/fragment.schema.json`: every key, in
 * the order written, of the right type and pattern, nothing more), and
 * against what compiling its file gives (the path and SHA-256 it is keyed
 * by, an id made from the file name, each action's parts, messages of known
 * rules with their severity). An entry that fails is ignored and rebuilt,
 * like one that cannot be read: the cache never changes the output.
 * Hand-written, not a schema validator: compiling the schemas at run time
 * cost more than a warm rebuild takes (`test/bench/HISTORY.md`);
 * `test/cache-entries.test.ts` checks that these guards agree with the
 * schemas.
 */
import {isAction, toSafeId} from '../../compile/syntax.js'
import {rules, type RuleId} from '../../compile/messages.js'
import type {SerializedCompiled, SerializedMessage} from '../serialize.js'
import type {Callout, FragmentRecord, IncludeRef, Permission, ReferencePage, ReferenceSection, RoleRecord, RolesTableRow, SourceInfo, SourcePoint, TableData} from '../../types.js'

/** What a compiled file's entry must agree with: its path relative to the input root, and the SHA-256 of its bytes. */
export interface EntrySource {
  path: string
  sha256: string
}

/** A guard for the cache entry of the file at `source`. */
export function compiledEntryFor(source: EntrySource): (value: unknown) => value is SerializedCompiled {
  return (value): value is SerializedCompiled => isCompiledEntry(value, source)
}

function isCompiledEntry(value: unknown, source: EntrySource): value is SerializedCompiled {
  if (!hasKeys(value, compiledKeys) || !isList(value['messages'], isSerializedMessage)) return false
  const {kind, record, reference} = value
  const id = idOf(source.path)
  if (kind === 'role') return reference === null && isRole(record, source, id)
  if (kind === 'fragment') return reference === null && isFragment(record, source, id)
  if (kind === 'reference') return record === null && isReferencePage(reference, source, id)
  return kind === 'skipped' && record === null && reference === null
}

/** The id `compileFile` gives a file: its name without the extension, made safe. */
function idOf(sourcePath: string): string {
  const name = sourcePath.slice(sourcePath.lastIndexOf('/') + 1)
  const dot = name.lastIndexOf('.')
  return toSafeId((dot > 0 ? name.slice(0, dot) : name) || 'untitled')
}

/** A role record as `role.schema.json` has it, from the file at `source`, with the id `id`. */
function isRole(value: unknown, source: EntrySource, id: string): value is RoleRecord {
  return (
    isRecord(value, roleKeys, 'role', id) &&
    isTextOrNull(value['anchor']) &&
    (value['templateId'] === null || (typeof value['templateId'] === 'string' && guid.test(value['templateId']))) &&
    typeof value['privileged'] === 'boolean' &&
    typeof value['deprecated'] === 'boolean' &&
    isBody(value, source) &&
    isList(value['permissions'], isPermission)
  )
}

/** A fragment record as `fragment.schema.json` has it. */
function isFragment(value: unknown, source: EntrySource, id: string): value is FragmentRecord {
  return isRecord(value, fragmentKeys, 'fragment', id) && isBody(value, source)
}

/** What roles and fragments both start with: exactly `keys`, schema version 1, the id `id`, the kind, a name and a description. */
function isRecord(value: unknown, keys: readonly string[], kind: 'role' | 'fragment', id: string): value is Record<string, unknown> {
  return (
    hasKeys(value, keys) &&
    value['schemaVersion'] === 1 &&
    value['id'] === id &&
    value['kind'] === kind &&
    isTextOrNull(value['name']) &&
    isTextOrNull(value['description'])
  )
}

/** What roles and fragments both hold: the summary, callouts, tables, includes, front matter and source. */
function isBody(record: Record<string, unknown>, source: EntrySource): boolean {
  return (
    typeof record['summary'] === 'string' &&
    isList(record['callouts'], isCallout) &&
    isList(record['tables'], isTable) &&
    isList(record['includes'], isInclude) &&
    isObject(record['frontMatter']) &&
    isSource(record['source'], source)
  )
}

function isReferencePage(value: unknown, source: EntrySource, id: string): value is ReferencePage {
  return (
    hasKeys(value, referenceKeys) &&
    value['id'] === id &&
    isSource(value['source'], source) &&
    isList(value['rows'], isRolesTableRow) &&
    isList(value['sections'], (section): section is ReferenceSection => isSection(section, source))
  )
}

function isRolesTableRow(value: unknown): value is RolesTableRow {
  return (
    hasKeys(value, rowKeys) &&
    typeof value['anchor'] === 'string' &&
    typeof value['name'] === 'string' &&
    typeof value['description'] === 'string' &&
    typeof value['privileged'] === 'boolean' &&
    (value['templateId'] === null || (typeof value['templateId'] === 'string' && guid.test(value['templateId']))) &&
    isPoint(value['position'])
  )
}

/** A role section of a reference page; a role written inline in it has the section's anchor as its id. */
function isSection(value: unknown, source: EntrySource): value is ReferenceSection {
  if (!hasKeys(value, sectionKeys) || typeof value['anchor'] !== 'string') return false
  const role = value['role']
  return (
    typeof value['name'] === 'string' &&
    isPoint(value['position']) &&
    isList(value['includes'], isInclude) &&
    (role === null || isRole(role, source, toSafeId(value['anchor'])))
  )
}

function isPermission(value: unknown): value is Permission {
  if (!hasKeys(value, permissionKeys)) return false
  const action = value['action']
  if (typeof action !== 'string' || !isAction(action)) return false
  // `splitAction`'s parts, compared in place without making them (a warm rebuild checks thousands).
  const first = action.indexOf('/')
  const last = action.lastIndexOf('/')
  const {namespace, resource, verb} = value
  return (
    typeof namespace === 'string' &&
    namespace.length === first &&
    action.startsWith(namespace) &&
    typeof resource === 'string' &&
    resource.length === Math.max(0, last - first - 1) &&
    action.startsWith(resource, first + 1) &&
    typeof verb === 'string' &&
    verb.length === action.length - last - 1 &&
    action.endsWith(verb) &&
    typeof value['description'] === 'string' &&
    typeof value['privileged'] === 'boolean' &&
    isPoint(value['position'])
  )
}

function isCallout(value: unknown): value is Callout {
  return hasKeys(value, calloutKeys) && typeof value['type'] === 'string' && /^[a-z]+$/.test(value['type']) && typeof value['text'] === 'string' && isPoint(value['position'])
}

function isTable(value: unknown): value is TableData {
  return hasKeys(value, tableKeys) && isTexts(value['header']) && isList(value['rows'], isTexts) && isPoint(value['position'])
}

function isInclude(value: unknown): value is IncludeRef {
  return hasKeys(value, includeKeys) && typeof value['path'] === 'string' && isTextOrNull(value['target']) && typeof value['resolved'] === 'boolean' && isPoint(value['position'])
}

/** The record's `source`: the very path and SHA-256 the entry is keyed by. */
function isSource(value: unknown, source: EntrySource): value is SourceInfo {
  return hasKeys(value, sourceKeys) && value['path'] === source.path && value['sha256'] === source.sha256
}

/** `{line, column}`, each a whole number from 1. */
function isPoint(value: unknown): value is SourcePoint {
  return hasKeys(value, pointKeys) && isCount(value['line'], 1) && isCount(value['column'], 1)
}

/**
 * A message as `serializeMessage` keeps it: of a rule roledoc has, with that
 * rule's severity (`fatal`), from `roledoc`, at a place in the file. Kept
 * apart from what it says, which is not checked.
 */
export function isSerializedMessage(value: unknown): value is SerializedMessage {
  if (!hasKeys(value, messageKeys) || typeof value['reason'] !== 'string' || typeof value['ruleId'] !== 'string' || !Object.hasOwn(rules, value['ruleId'])) return false
  const severity = rules[value['ruleId'] as RuleId].severity
  return (
    value['source'] === 'roledoc' &&
    value['fatal'] === (severity === 'error' ? true : severity === 'warning' ? false : null) &&
    (value['place'] === null || isPlace(value['place'])) &&
    isTextOrNull(value['actual']) &&
    (value['expected'] === null || isTexts(value['expected'])) &&
    isTextOrNull(value['note'])
  )
}

/** A message's place: a point (`line`, `column`, maybe `offset`) or a position (`start` and `end` points). */
function isPlace(value: unknown): boolean {
  if (!isObject(value)) return false
  if ('start' in value) return Object.keys(value).length === 2 && isPlacePoint(value['start']) && isPlacePoint(value['end'])
  return isPlacePoint(value)
}

function isPlacePoint(value: unknown): boolean {
  if (!isObject(value) || !isCount(value['line'], 1) || !isCount(value['column'], 1)) return false
  const keys = Object.keys(value).length
  return keys === 2 || (keys === 3 && isCount(value['offset'], 0))
}

/** A whole number from `least`. */
export function isCount(value: unknown, least = 0): value is number {
  return Number.isSafeInteger(value) && (value as number) >= least
}

/** An object (not an array or `null`), as JSON gives one. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** An object with exactly `keys`, in that order (the order a record is written in). */
export function hasKeys(value: unknown, keys: readonly string[]): value is Record<string, unknown> {
  if (!isObject(value)) return false
  const own = Object.keys(value)
  if (own.length !== keys.length) return false
  for (const [index, key] of keys.entries()) if (own[index] !== key) return false
  return true
}

/** A list each of whose items passes `isItem`. */
export function isList<T>(value: unknown, isItem: (item: unknown) => item is T): value is T[] {
  if (!Array.isArray(value)) return false
  for (const item of value) if (!isItem(item)) return false
  return true
}

function isTexts(value: unknown): value is string[] {
  return isList(value, (item): item is string => typeof item === 'string')
}

function isTextOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string'
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * `keys`, which the compiler checks name every key of `T` and no other. The
 * order is the order written (that of `types.ts`); `test/cache-entries.test.ts`
 * checks it against what compiling gives.
 */
export function keysOf<T>() {
  return <const K extends ReadonlyArray<keyof T & string>>(keys: K & ([keyof T] extends [K[number]] ? unknown : never)): readonly string[] => keys
}

const compiledKeys = keysOf<SerializedCompiled>()(['kind', 'record', 'reference', 'messages'])
const roleKeys = keysOf<RoleRecord>()([
  'schemaVersion', 'id', 'kind', 'anchor', 'name', 'description', 'templateId', 'privileged', 'deprecated',
  'summary', 'callouts', 'permissions', 'tables', 'includes', 'frontMatter', 'source'
])
const fragmentKeys = keysOf<FragmentRecord>()(['schemaVersion', 'id', 'kind', 'name', 'description', 'summary', 'callouts', 'tables', 'includes', 'frontMatter', 'source'])
const referenceKeys = keysOf<ReferencePage>()(['id', 'source', 'rows', 'sections'])
const rowKeys = keysOf<RolesTableRow>()(['anchor', 'name', 'description', 'privileged', 'templateId', 'position'])
const sectionKeys = keysOf<ReferenceSection>()(['anchor', 'name', 'position', 'includes', 'role'])
const permissionKeys = keysOf<Permission>()(['action', 'namespace', 'resource', 'verb', 'description', 'privileged', 'position'])
const calloutKeys = keysOf<Callout>()(['type', 'text', 'position'])
const tableKeys = keysOf<TableData>()(['header', 'rows', 'position'])
const includeKeys = keysOf<IncludeRef>()(['path', 'target', 'resolved', 'position'])
const sourceKeys = keysOf<SourceInfo>()(['path', 'sha256'])
const pointKeys = keysOf<SourcePoint>()(['line', 'column'])
const messageKeys = keysOf<SerializedMessage>()(['reason', 'ruleId', 'source', 'fatal', 'place', 'actual', 'expected', 'note'])
