/**
 * The privileged badge: a link whose only content is the image
 * `privileged-label.png`, as in
 * `[![Privileged label icon.](../media/permissions-reference/privileged-label.png)](../privileged-roles-permissions.md)`
 * (the paths vary). It marks a permission (in its row's description), a role
 * (above its permissions table) and a row of the roles table.
 *
 * `scanBadges` also finds what looks like a badge but is not a well-formed
 * one (`malformed-badge`): a misspelt image, the image without its link, a
 * link with no target or no image, the pieces of a badge whose brackets
 * broke. Such a badge counts as the badge (its author meant one) and, like a
 * good one, leaves no text behind.
 */
import type {Image, Link, Nodes, PhrasingContent, Text} from 'mdast'
import type {Point} from 'unist'
import type {VFile} from 'vfile'
import {report} from '../messages.js'

/** The file name every privileged-label badge image points at. */
const badgeImageName = 'privileged-label.png'

const wellFormed =
  '`[![Privileged label icon.](../media/permissions-reference/privileged-label.png)](../privileged-roles-permissions.md)`'

/**
 * Where badges are looked for. A description (a permission's or a roles
 * table row's) is text: any image or empty link in it is taken for a badge.
 * Prose may hold other images: only those named or described like the badge
 * are.
 */
export type BadgeContext = 'description' | 'prose'

export interface BadgeScan {
  /** Whether the content holds a badge, well formed or not. */
  badge: boolean
  /** The content without its badges and their debris. */
  content: PhrasingContent[]
}

/**
 * Whether `node` is a well-formed badge: a link with a target whose only
 * content is an image of `privileged-label.png` (the link target varies:
 * `privileged-roles-permissions.md`, `../privileged-roles-permissions.md`).
 */
export function isBadge(node: Nodes): node is Link {
  if (node.type !== 'link' || node.url.trim() === '') return false
  const image = onlyContent(node)
  return image?.type === 'image' && fileName(image.url) === badgeImageName
}

/** Whether any descendant of `node` (or `node` itself) is a well-formed badge. */
export function containsBadge(node: Nodes): boolean {
  if (isBadge(node)) return true
  if ('children' in node) {
    for (const child of node.children) {
      if (containsBadge(child)) return true
    }
  }
  return false
}

/**
 * Find the badges in `nodes`, reporting each malformed one, and return the
 * content without them.
 */
export function scanBadges(nodes: readonly PhrasingContent[], file: VFile, context: BadgeContext): BadgeScan {
  const scan: BadgeScan = {badge: false, content: []}
  scan.content = scanList(nodes, file, context, scan)
  return scan
}

function scanList(nodes: readonly PhrasingContent[], file: VFile, context: BadgeContext, scan: BadgeScan): PhrasingContent[] {
  const list = [...nodes]
  const kept: PhrasingContent[] = []
  for (let index = 0; index < list.length; index++) {
    const node = list[index] as PhrasingContent
    if (isBadge(node)) {
      scan.badge = true
      continue
    }
    const problem = badgeProblem(node, context)
    if (problem) {
      scan.badge = true
      // The `[` before a badge whose link broke, and the `](…)` after it.
      const opening = dropOpeningDebris(kept)
      const next = list[index + 1]
      const closing = next?.type === 'text' ? closingDebris.exec(next.value)?.[0] : undefined
      if (next?.type === 'text' && closing) list[index + 1] = {...next, value: next.value.slice(closing.length)}
      const broken = node.type === 'image' && (opening !== undefined || closing !== undefined)
      reportMalformed(file, broken ? 'Found a privileged badge whose link is broken (a `[`, `]` or `(…)` missing or out of place)' : problem, opening ?? node.position?.start)
      continue
    }
    if (node.type === 'text') {
      kept.push(withoutTextDebris(node, file, scan))
    } else if (node.type === 'emphasis' || node.type === 'strong' || node.type === 'delete') {
      kept.push({...node, children: scanList(node.children, file, context, scan)})
    } else {
      kept.push(node)
    }
  }
  return kept
}

/** What is wrong with `node` when it looks like a badge but is not a well-formed one. */
function badgeProblem(node: PhrasingContent, context: BadgeContext): string | undefined {
  if (node.type === 'image') {
    if (fileName(node.url) === badgeImageName) return 'Found the privileged badge’s image without its link'
    if (context === 'description') return `Found an image (\`${shown(node.url)}\`) in a description, where only the privileged badge may stand`
    if (looksLikeBadge(node)) return `Found an image \`${shown(node.url)}\` where the privileged badge’s \`${badgeImageName}\` belongs`
    return undefined
  }
  if (node.type === 'link') return linkProblem(node, context)
  return undefined
}

function linkProblem(link: Link, context: BadgeContext): string | undefined {
  const toBadgePage = /privileged-roles-permissions/i.test(link.url)
  const content = link.children.filter((child) => !isBlankText(child))
  if (content.length === 0) {
    return context === 'description' || toBadgePage ? 'Found an empty link where the privileged badge belongs (its image is missing)' : undefined
  }
  const image = onlyContent(link)
  if (image?.type === 'image') {
    const named = fileName(image.url) === badgeImageName
    if (!(named || context === 'description' || toBadgePage || looksLikeBadge(image))) return undefined
    if (!named) return `Found a privileged badge whose image is \`${shown(image.url)}\`, not \`${badgeImageName}\``
    return 'Found a privileged badge whose link has no target'
  }
  if (isImageFile(link.url) && (context === 'description' || /privil/i.test(link.url))) {
    return `Found a link to the image \`${shown(link.url)}\` where the privileged badge belongs (the \`!\` of the image is missing)`
  }
  return undefined
}

/** An image named or described like the badge (the alt text is translated, but keeps the word). */
function looksLikeBadge(image: Image): boolean {
  return /privil|previl|privel|label/i.test(`${fileName(image.url)} ${image.alt ?? ''}`)
}

/** The `!`/`[` left of a badge whose link broke, at the end of the text before it. */
const openingDebris = /!?\[[ \t]*$/
/** The `](target)`, `(target)`, `][]` or `]` right of a badge whose link broke. */
const closingDebris = /^(?:\]\[[^\]\s]*\]|\]?\([^()\s]*(?:\)|$)|\])/
/** The pieces of a badge left as text: `(…privileged-roles-permissions.md)`, `![…](…privileged-label.png`. */
const textDebris = /\[?(?:!?\[[^[\]()\n]*\])?\]?\([^()\s]*privileged-(?:roles-permissions|label)[^()\s]*\)?\]?/gi

/** Remove the opening debris from the last kept text; returns where it started. */
function dropOpeningDebris(kept: PhrasingContent[]): Point | undefined {
  const last = kept.at(-1)
  if (last?.type !== 'text') return undefined
  const match = openingDebris.exec(last.value)
  if (!match) return undefined
  kept[kept.length - 1] = {...last, value: last.value.slice(0, match.index)}
  const end = last.position?.end
  return end ? {line: end.line, column: end.column - match[0].length} : undefined
}

/** `text` without the pieces of a badge it holds, reporting each. */
function withoutTextDebris(text: Text, file: VFile, scan: BadgeScan): Text {
  if (!/privileged-(?:roles-permissions|label)/i.test(text.value)) return text
  const value = text.value.replace(textDebris, (match: string, offset: number) => {
    scan.badge = true
    reportMalformed(file, `Found pieces of a privileged badge (\`${match}\`) in the text`, pointAt(text, offset))
    return ''
  })
  return {...text, value}
}

function reportMalformed(file: VFile, problem: string, place: Point | undefined): void {
  report(file, 'malformed-badge', `${problem}; it is read as the badge. Write the badge as ${wellFormed}`, place)
}

/** The point of `offset` in a text node (exact on its first line). */
function pointAt(text: Text, offset: number): Point | undefined {
  const start = text.position?.start
  if (!start) return undefined
  const before = text.value.slice(0, offset)
  const lineBreak = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'))
  const lines = before.split(/\r\n|\r|\n/).length - 1
  return lines === 0 ? {line: start.line, column: start.column + offset} : {line: start.line + lines, column: offset - lineBreak}
}

/** The only content of a link, blank text aside. */
function onlyContent(link: Link): PhrasingContent | undefined {
  const content = link.children.filter((child) => !isBlankText(child))
  return content.length === 1 ? content[0] : undefined
}

/** The last path segment of a URL, lower-case, without query or fragment. */
function fileName(url: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? ''
  return path.slice(path.lastIndexOf('/') + 1).toLowerCase()
}

function isImageFile(url: string): boolean {
  return /\.(?:png|svg|gif|jpe?g|webp)$/i.test(url.split(/[?#]/, 1)[0] ?? '')
}

/** A URL as a message shows it: its file name, or `(empty)`. */
function shown(url: string): string {
  return fileName(url) || '(empty)'
}

function isBlankText(node: Nodes): boolean {
  return node.type === 'text' && node.value.trim() === ''
}
