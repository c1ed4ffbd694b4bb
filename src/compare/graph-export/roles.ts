/**
 * Each role definition of a Graph export, checked field by field: a
 * `GraphRole`, or `null` with a message at each field that is wrong.
 */
import type {Node} from 'jsonc-parser'
import {compareStrings} from '../../compile/messages.js'
import {isGuid} from '../../compile/syntax.js'
import type {SourcePoint} from '../../types.js'
import {describeNode, exportAgain, quoteSnippet, readProperties, sourceOf, type Reader} from './reader.js'

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

const roleKeys = new Set(['templateId', 'displayName', 'isBuiltIn', 'isPrivileged', 'rolePermissions'])
const permissionKeys = new Set(['allowedResourceActions'])

export function readRoles(reader: Reader, list: Node, label: string): GraphRole[] {
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
  if (templateId !== null && !isGuid(templateId.value)) {
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
