/**
 * Tables: the permissions table (known by its structure, never by its header
 * words, which are translated), the roles table of a reference page, and any
 * other table, kept as plain cells.
 */
import type {Blockquote, RootContent, Table, TableCell} from 'mdast'
import type {Position} from 'unist'
import type {VFile} from 'vfile'
import {report} from '../messages.js'
import {isAction, isGuid} from '../syntax.js'
import {containsBadge, scanBadges} from './badges.js'
import {inlineText} from './text.js'

/** One permissions row as written, before normalization. */
export interface RawPermission {
  action: string
  description: string
  privileged: boolean
  position: Position
}

/** Any other table, as plain text cells. */
export interface RawTable {
  header: string[]
  rows: string[][]
  position: Position | undefined
}

/** A table standing as a block, and whether it sits in an `mx-tableFixed` div. */
export interface BlockTable {
  table: Table
  inDiv: boolean
}

/** The table `node` is or holds: a bare table, or one in a `[!div class="mx-tableFixed"]` blockquote. */
export function blockTable(node: RootContent): BlockTable | undefined {
  if (node.type === 'table') return {table: node, inDiv: false}
  if (node.type !== 'blockquote' || !isTableFixedDiv(node)) return undefined
  for (const child of node.children) {
    if (child.type === 'table') return {table: child, inDiv: true}
  }
  return undefined
}

/** Whether the blockquote opens with `[!div class="mx-tableFixed"]` (straight or curly quotes). */
function isTableFixedDiv(node: Blockquote): boolean {
  const first = node.children[0]
  if (!first || first.type !== 'paragraph') return false
  const text = first.children[0]
  if (!text || text.type !== 'text') return false
  const line = text.value.split('\n', 1)[0] ?? ''
  return /^\[!div\s+class\s*=\s*["“”]?[^"“”\]]*\bmx-tableFixed\b[^"“”\]]*["“”]?\s*\]$/i.test(line.trim())
}

/** Whether any body row of `table` starts with an action string. */
export function hasActionColumn(table: Table): boolean {
  for (const row of table.children.slice(1)) {
    const first = row.children[0]
    if (first && isAction(inlineText(first.children))) return true
  }
  return false
}

/** Whether any body row of `table` links to an `#anchor` first and holds a GUID. */
export function isRolesTable(table: Table): boolean {
  for (const row of table.children.slice(1)) {
    if (anchorOf(row.children[0]) !== undefined && row.children.some((cell) => isGuid(inlineText(cell.children)))) {
      return true
    }
  }
  return false
}

/** Rows of a permissions table compiled before the rest is left out (`too-many-rows`). */
export const maxPermissionRows = 5000

/** Read the rows of a permissions table (reporting rows of the wrong shape). */
export function extractPermissionRows(table: Table, file: VFile): RawPermission[] {
  // The first row is the header; its words vary with the language, so it is
  // not checked: the table is known by where it stands and what it holds.
  const permissions: RawPermission[] = []
  const rows = table.children.slice(1)
  if (rows.length > maxPermissionRows) {
    report(
      file,
      'too-many-rows',
      `The permissions table has ${rows.length} rows, more than the limit of ${maxPermissionRows}; the rows after that are left out. Split the role`,
      rows[maxPermissionRows]?.position,
      {actual: String(rows.length), expected: [`at most ${maxPermissionRows}`]}
    )
  }
  for (const row of rows.slice(0, maxPermissionRows)) {
    const position = row.position
    if (!position) continue
    const [actionCell, descriptionCell] = row.children
    if (row.children.length !== 2 || !actionCell || !descriptionCell) {
      report(
        file,
        'malformed-row',
        `Expected 2 cells (action and description) in a permissions row, found ${row.children.length}; check the row's \`|\` separators`,
        position,
        {actual: String(row.children.length), expected: ['2']}
      )
      continue
    }
    const description = scanBadges(descriptionCell.children, file, 'description')
    permissions.push({
      action: inlineText(actionCell.children),
      description: inlineText(description.content),
      privileged: description.badge,
      position
    })
  }
  return permissions
}

/** Any table as plain text: the header cells and each row's cells. */
export function extractTable(table: Table): RawTable {
  const [header, ...rows] = table.children
  return {
    header: header ? header.children.map((cell) => inlineText(cell.children)) : [],
    rows: rows.map((row) => row.children.map((cell) => inlineText(cell.children))),
    position: table.position
  }
}

/** One row of a reference page's roles table. */
export interface RawRolesRow {
  anchor: string
  name: string
  description: string
  privileged: boolean
  templateId: string | null
  position: Position | undefined
}

/** The rows of a roles table that link to an anchor; others are skipped. */
export function extractRolesRows(table: Table, file: VFile): RawRolesRow[] {
  const rows: RawRolesRow[] = []
  for (const row of table.children.slice(1)) {
    const [nameCell, cell] = row.children
    const anchor = anchorOf(nameCell)
    if (anchor === undefined || !nameCell) continue
    const guidCell = row.children.slice(1).find((cell) => isGuid(inlineText(cell.children)))
    const descriptionCell = cell === guidCell ? undefined : cell
    const description = descriptionCell ? scanBadges(descriptionCell.children, file, 'description') : undefined
    const others = row.children.slice(1).filter((cell) => cell !== descriptionCell)
    rows.push({
      anchor,
      name: inlineText(nameCell.children),
      description: description ? inlineText(description.content) : '',
      privileged: description?.badge === true || others.some((cell) => containsBadge(cell)),
      templateId: guidCell ? inlineText(guidCell.children).toLowerCase() : null,
      position: row.position
    })
  }
  return rows
}

/** The `#anchor` a cell links to, when its content is one such link. */
function anchorOf(cell: TableCell | undefined): string | undefined {
  if (!cell) return undefined
  for (const child of cell.children) {
    if (child.type === 'link' && child.url.startsWith('#') && child.url.length > 1) {
      return decodeURIComponent(child.url.slice(1))
    }
  }
  return undefined
}
