/**
 * Plain text of mdast nodes, the way roledoc needs it: badges and HTML left
 * out, `<br>` as a space, links reduced to their text, white space collapsed.
 */
import type {BlockContent, DefinitionContent, Html, List, PhrasingContent, RootContent} from 'mdast'
import {toString} from 'mdast-util-to-string'
import {isBadge} from './badges.js'

const toStringOptions = {includeHtml: false, includeImageAlt: false}

/** Whether `node` is an HTML line break (`<br>`, `<br/>`, `<br />`). */
export function isLineBreakHtml(node: Html): boolean {
  return /^<br\s*\/?>$/i.test(node.value.trim())
}

/**
 * Plain text of phrasing content: badges removed, `<br>` and hard breaks as
 * a space, other HTML dropped, white space collapsed and trimmed.
 */
export function inlineText(nodes: readonly PhrasingContent[]): string {
  let text = ''
  for (const node of nodes) {
    if (isBadge(node)) continue
    if (node.type === 'break') text += ' '
    else if (node.type === 'html') text += isLineBreakHtml(node) ? ' ' : ''
    else if ('children' in node) text += inlineText(node.children)
    else text += toString(node, toStringOptions)
  }
  return collapse(text)
}

/**
 * Plain text of one block: paragraphs and headings as one line, list items
 * one per line prefixed `- ` (or `1. `), nested blocks separated by a blank
 * line. Returns `''` for blocks with no text (HTML comments, badge-only
 * paragraphs).
 */
export function blockText(node: RootContent | BlockContent | DefinitionContent): string {
  switch (node.type) {
    case 'paragraph':
    case 'heading':
    case 'tableCell':
      return inlineText(node.children)
    case 'list':
      return listText(node)
    case 'blockquote':
      return blocksText(node.children)
    case 'code':
      return node.value
    case 'table':
      return node.children
        .map((row) => row.children.map((cell) => inlineText(cell.children)).join(' | '))
        .join('\n')
    default:
      return ''
  }
}

/** Plain text of several blocks, joined by a blank line, empty ones skipped. */
export function blocksText(nodes: ReadonlyArray<RootContent | BlockContent | DefinitionContent>): string {
  const parts: string[] = []
  for (const node of nodes) {
    const text = blockText(node)
    if (text !== '') parts.push(text)
  }
  return parts.join('\n\n')
}

function listText(list: List): string {
  const lines: string[] = []
  let number = list.start ?? 1
  for (const item of list.children) {
    const prefix = list.ordered ? `${number++}. ` : '- '
    const parts: string[] = []
    for (const child of item.children) {
      const text = blockText(child)
      if (text !== '') parts.push(text)
    }
    lines.push(prefix + parts.join('\n').replace(/\n/g, '\n  '))
  }
  return lines.join('\n')
}

/** Collapse runs of white space (including line endings) to one space. */
export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}
