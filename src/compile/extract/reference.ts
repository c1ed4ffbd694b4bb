/**
 * A reference page (`permissions-reference.md`): its roles table (a row per
 * role: `[Name](#anchor)`, description with an optional badge, template ID)
 * and its sections, each either including a role file
 * (`[!INCLUDE [slug](includes/slug.md)]`) or, in older single-page versions,
 * holding the role inline (prose, callouts, permissions table).
 */
import type {Heading, Root, RootContent} from 'mdast'
import type {Point, Position} from 'unist'
import {slug} from 'github-slugger'
import type {VFile} from 'vfile'
import {includeOf, type RawInclude} from './includes.js'
import {extractRole, type RawRole} from './role.js'
import {reportStrays} from './stray-rows.js'
import {blockTable, extractRolesRows, hasActionColumn, isRolesTable, type RawRolesRow} from './tables.js'
import {inlineText} from './text.js'

export interface RawSection {
  /** The explicit `<a name="…">` (or `id`) in the heading, else the heading's slug. */
  anchor: string
  /** The heading's text. */
  name: string
  position: Position | undefined
  includes: RawInclude[]
  /** The role written inline in this section, when it holds a permissions table. */
  role: RawRole | null
}

export interface RawReference {
  rows: RawRolesRow[]
  sections: RawSection[]
}

/** A heading and the blocks up to the next heading. */
interface FlatSection {
  heading: Heading
  blocks: RootContent[]
  end: Point
}

/**
 * Whether `tree` is a reference page: it has a roles table, or at least two
 * sections that each include a file or hold a permissions table.
 */
export function isReference(tree: Root): boolean {
  for (const node of tree.children) {
    const found = blockTable(node)
    if (found && isRolesTable(found.table)) return true
  }
  let roleSections = 0
  for (const section of flatSections(tree).sections) {
    if (section.blocks.some((node) => includeOf(node) !== undefined || hasPermissionsTable(node))) roleSections++
  }
  return roleSections >= 2
}

/** Read the roles table and the role sections of a reference page. */
export function extractReference(tree: Root, file: VFile): RawReference {
  const rows: RawRolesRow[] = []
  for (const node of tree.children) {
    const found = blockTable(node)
    if (found && isRolesTable(found.table)) rows.push(...extractRolesRows(found.table, file))
  }

  const sections: RawSection[] = []
  const {preamble, sections: flats} = flatSections(tree)
  // Outside the role sections nothing is compiled: no permissions row may stand there.
  reportStrays(preamble, new Set(), file, undefined)
  for (const flat of flats) {
    const includes: RawInclude[] = []
    for (const node of flat.blocks) {
      const include = includeOf(node)
      if (include) includes.push(include)
    }
    const inline = flat.blocks.some(hasPermissionsTable)
    if (!inline) reportStrays(flat.blocks, new Set(), file, undefined)
    if (includes.length === 0 && !inline) continue
    sections.push({
      anchor: headingAnchor(flat.heading),
      name: inlineText(flat.heading.children),
      position: flat.heading.position,
      includes,
      role: inline ? extractRole(flat.blocks, file, flat.end, {kind: 'role'}) : null
    })
  }
  return {rows, sections}
}

function hasPermissionsTable(node: RootContent): boolean {
  const found = blockTable(node)
  return found !== undefined && found.inDiv && hasActionColumn(found.table)
}

/** The blocks before the first heading, and each heading with the blocks up to the next. */
function flatSections(tree: Root): {preamble: RootContent[]; sections: FlatSection[]} {
  const preamble: RootContent[] = []
  const sections: FlatSection[] = []
  let current: FlatSection | undefined
  for (const node of tree.children) {
    if (node.type === 'heading') {
      if (current) current.end = node.position?.start ?? current.end
      current = {heading: node, blocks: [], end: tree.position?.end ?? {line: 1, column: 1}}
      sections.push(current)
    } else if (current) {
      current.blocks.push(node)
    } else {
      preamble.push(node)
    }
  }
  return {preamble, sections}
}

/** `<a name="x"></a>` or `<a id="x">` inside the heading, else the slug of its text. */
function headingAnchor(heading: Heading): string {
  for (const child of heading.children) {
    if (child.type !== 'html') continue
    const match = /<a\s[^>]*\b(?:name|id)\s*=\s*["']?([^"'\s>]+)/i.exec(child.value)
    if (match?.[1]) return match[1]
  }
  return slug(inlineText(heading.children))
}
