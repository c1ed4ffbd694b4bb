/**
 * DocFX includes: a paragraph `[!INCLUDE [label](path/to/file.md)]`. In mdast
 * that is the text `[!INCLUDE `, a link, and the text `]`.
 */
import type {RootContent} from 'mdast'
import type {Position} from 'unist'
import {toString} from 'mdast-util-to-string'

export interface RawInclude {
  /** The path as written. */
  path: string
  position: Position | undefined
}

/** The include `node` stands for, when it is an include paragraph. */
export function includeOf(node: RootContent): RawInclude | undefined {
  if (node.type !== 'paragraph') return undefined
  const [opening, link, closing, ...rest] = node.children
  if (rest.length > 0 || !opening || opening.type !== 'text' || !link || link.type !== 'link') return undefined
  if (!/^\s*\[!include\s*$/i.test(opening.value)) return undefined
  if (closing && !(closing.type === 'text' && /^\]\s*$/.test(closing.value))) return undefined
  if (!closing && !toString(link).endsWith(']')) return undefined
  return {path: link.url, position: node.position}
}
