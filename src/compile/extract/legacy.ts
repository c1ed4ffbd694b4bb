/**
 * The reference page as azure-docs published it from 2018 to 2020
 * (`directory-assign-admin-roles.md`): roles are heading sections that hold
 * a bare table (not blockquoted) with a bold header
 * (`| **Actions** | **Description** |`, translated in translated copies);
 * their descriptions sit in a list of links to those sections
 * (`* **[Name](#anchor)**: description`, or, later, a heading
 * `### [Name](#anchor)` followed by a paragraph); later versions end with a
 * "Role template IDs" table (name | portal name | GUID) joined to the
 * sections by name. All of it is told apart by structure, never by words.
 */
import type {Heading, List, PhrasingContent, Root, RootContent, Table, TableCell} from 'mdast'
import type {Position} from 'unist'
import {isGuid} from '../syntax.js'
import {blockTable, hasActionColumn, type RawRolesRow} from './tables.js'
import {collapse, inlineText} from './text.js'

/**
 * Whether `table` is a permissions table of the old layout: a bare table of
 * two columns whose header cells are all bold, or one that lists actions.
 * (A bold header tells it apart where every action was mangled by a
 * machine translation, `Microsoft. katalog/aplikacje/usuwanie`.)
 */
export function isLegacyPermissionsTable(table: Table): boolean {
  const header = table.children[0]
  if (!header || header.children.length !== 2) return false
  return header.children.every(isBoldCell) || hasActionColumn(table)
}

/** A cell whose content is one bold span (white space around it aside). */
function isBoldCell(cell: TableCell): boolean {
  const content = cell.children.filter((node) => !(node.type === 'text' && node.value.trim() === ''))
  return content.length === 1 && content[0]?.type === 'strong'
}

/** Whether a top-level block is an old-layout permissions table (bare, never in a div). */
export function isLegacyTableBlock(node: RootContent): boolean {
  return node.type === 'table' && isLegacyPermissionsTable(node)
}

/**
 * The roles list of an old page, as roles-table rows: each list item whose
 * first paragraph opens with a link to `#anchor` (bold or not), the rest of
 * the paragraph its description; and each heading that is such a link, the
 * first paragraph under it its description. Old pages carry no badge and no
 * template ID here.
 */
export function extractRolesList(tree: Root): RawRolesRow[] {
  const rows: RawRolesRow[] = []
  for (const [index, node] of tree.children.entries()) {
    if (node.type === 'list') rows.push(...listRows(node))
    if (node.type === 'heading') {
      const row = headingRow(node, tree.children.slice(index + 1))
      if (row) rows.push(row)
    }
  }
  return rows
}

function listRows(list: List): RawRolesRow[] {
  const rows: RawRolesRow[] = []
  for (const item of list.children) {
    const first = item.children[0]
    if (first?.type !== 'paragraph') continue
    const lead = leadingLink(first.children)
    if (!lead) continue
    rows.push(row(lead.anchor, lead.name, descriptionText(first.children.slice(lead.after)), item.position))
  }
  return rows
}

function headingRow(heading: Heading, after: readonly RootContent[]): RawRolesRow | undefined {
  const content = heading.children.filter((node) => node.type !== 'html' && !(node.type === 'text' && node.value.trim() === ''))
  const lead = leadingLink(content)
  if (!lead || lead.after !== content.length) return undefined
  let description = ''
  for (const node of after) {
    if (node.type === 'heading') break
    if (node.type === 'paragraph') {
      description = inlineText(node.children)
      break
    }
  }
  return row(lead.anchor, lead.name, description, heading.position)
}

function row(anchor: string, name: string, description: string, position: Position | undefined): RawRolesRow {
  return {anchor, name, description, privileged: false, templateId: null, position}
}

/**
 * The link to `#anchor` that `nodes` open with (directly, or as the only
 * content of a bold or emphasised span), and the index of the node after it.
 */
function leadingLink(nodes: readonly PhrasingContent[]): {anchor: string; name: string; after: number} | undefined {
  const first = nodes[0]
  if (!first) return undefined
  let link: PhrasingContent | undefined = first
  if (first.type === 'strong' || first.type === 'emphasis') {
    const inner = first.children.filter((node) => !(node.type === 'text' && node.value.trim() === ''))
    link = inner.length === 1 ? inner[0] : undefined
  }
  if (link?.type !== 'link' || !link.url.startsWith('#') || link.url.length < 2) return undefined
  let anchor: string
  try {
    anchor = decodeURIComponent(link.url.slice(1))
  } catch {
    anchor = link.url.slice(1)
  }
  const name = inlineText(link.children)
  return name === '' ? undefined : {anchor, name, after: 1}
}

/** The text after the link: its separator (`:`, a dash) and white space removed. */
function descriptionText(nodes: readonly PhrasingContent[]): string {
  return inlineText(nodes).replace(/^[:：\-–—]\s*/, '')
}

/** One row of a "Role template IDs" table: the names it gives (display name, portal name) and the GUID. */
export interface TemplateRow {
  names: string[]
  templateId: string
  position: Position | undefined
}

/**
 * The rows of every template ID table: a table (bare or in a div) whose rows
 * hold a GUID and no link to an `#anchor` first (that would be a roles
 * table); the other cells of each row are the names it is known by.
 */
export function extractTemplateRows(tree: Root): TemplateRow[] {
  const rows: TemplateRow[] = []
  for (const node of tree.children) {
    const found = blockTable(node)
    if (!found) continue
    for (const tableRow of found.table.children.slice(1)) {
      const texts = tableRow.children.map((cell) => inlineText(cell.children))
      const guid = texts.find(isGuid)
      if (guid === undefined || startsWithAnchor(tableRow.children[0])) continue
      const names = texts.filter((text) => text !== '' && !isGuid(text))
      if (names.length > 0) rows.push({names, templateId: guid, position: tableRow.position})
    }
  }
  return rows
}

function startsWithAnchor(cell: TableCell | undefined): boolean {
  return cell !== undefined && leadingLink(cell.children) !== undefined
}

/**
 * The template row for a role known by `names` (its name in the roles list,
 * then its heading): the first name that some rows give, in any column,
 * when they all give one GUID; else each part of a name written `A / B`,
 * when the parts that match agree on one GUID. `undefined` when nothing
 * matches or the match is ambiguous.
 */
export function matchTemplate(names: readonly string[], rows: readonly TemplateRow[]): TemplateRow | undefined {
  const byName = new Map<string, TemplateRow[]>()
  for (const row of rows) {
    for (const name of new Set(row.names.map(nameKey))) {
      const list = byName.get(name) ?? []
      list.push(row)
      byName.set(name, list)
    }
  }
  for (const name of names) {
    const found = single(byName.get(nameKey(name)) ?? [])
    if (found) return found
  }
  for (const name of names) {
    const parts = name.split('/').map(nameKey).filter((part) => part !== '')
    if (parts.length < 2) continue
    const found = single(parts.flatMap((part) => byName.get(part) ?? []))
    if (found) return found
  }
  return undefined
}

/** The row when every candidate has the same GUID; `undefined` when they disagree; `null` when there is none. */
function single(candidates: readonly TemplateRow[]): TemplateRow | undefined | null {
  const first = candidates[0]
  if (!first) return null
  const guid = first.templateId.toLowerCase()
  return candidates.every((row) => row.templateId.toLowerCase() === guid) ? first : undefined
}

function nameKey(name: string): string {
  return collapse(name).toLowerCase()
}
