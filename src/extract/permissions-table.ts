/**
 * The permissions table: a `> [!div class="mx-tableFixed"]` blockquote whose
 * table lists one action per row: `| action | description |`.
 */
import type {Blockquote, RootContent, Table} from 'mdast'
import type {Position} from 'unist'
import type {VFile} from 'vfile'
import {report} from '../messages.js'
import {containsBadge, inlineText} from './text.js'

/** One table row as written, before normalization. */
export interface RawPermission {
  action: string
  description: string
  privileged: boolean
  position: Position
}

/** The table inside `node` when it is an `mx-tableFixed` div blockquote. */
export function tableFixedTable(node: RootContent): Table | undefined {
  if (node.type !== 'blockquote' || !isTableFixedDiv(node)) return undefined
  for (const child of node.children) {
    if (child.type === 'table') return child
  }
  return undefined
}

/** Whether the blockquote opens with `[!div class="mx-tableFixed"]`. */
function isTableFixedDiv(node: Blockquote): boolean {
  const first = node.children[0]
  if (!first || first.type !== 'paragraph') return false
  const text = first.children[0]
  if (!text || text.type !== 'text') return false
  const line = text.value.split('\n', 1)[0] ?? ''
  return /^\[!div\s+class\s*=\s*"[^"]*\bmx-tableFixed\b[^"]*"\s*\]$/i.test(line.trim())
}

/** Read the rows of a permissions table (reporting rows of the wrong shape). */
export function extractPermissionRows(table: Table, file: VFile): RawPermission[] {
  // The first row is the header; its words vary with the language, so it is
  // not checked: the table is known by where it stands.
  const rows = table.children.slice(1)
  const permissions: RawPermission[] = []
  for (const row of rows) {
    const position = row.position
    if (!position) continue
    if (row.children.length !== 2) {
      report(
        file,
        'malformed-row',
        `Expected 2 cells (action and description) in a permissions row, found ${row.children.length}; check the row's \`|\` separators`,
        position,
        {actual: String(row.children.length), expected: ['2']}
      )
      continue
    }
    const [actionCell, descriptionCell] = row.children as [(typeof row.children)[0], (typeof row.children)[0]]
    permissions.push({
      action: inlineText(actionCell.children),
      description: inlineText(descriptionCell.children),
      privileged: containsBadge(descriptionCell),
      position
    })
  }
  return permissions
}
