/**
 * DocFX callouts: a blockquote whose first line is `[!NOTE]`, `[!IMPORTANT]`,
 * `[!WARNING]`, `[!TIP]` or `[!CAUTION]`.
 */
import type {Blockquote, Paragraph, RootContent} from 'mdast'
import type {VFile} from 'vfile'
import {report} from '../messages.js'
import type {Callout, KnownCalloutType} from '../../types.js'
import {blocksText} from './text.js'

export const calloutTypes: readonly KnownCalloutType[] = ['note', 'important', 'warning', 'tip', 'caution']

/** `[!WORD]` at the very start of a blockquote's first text, then a line end or the end. */
const markerPattern = /^\[!([A-Za-z]+)\][ \t]*(?:\r?\n|$)/

/** The marker's type (as written) when `node` is a callout blockquote. */
export function calloutMarker(node: RootContent): string | undefined {
  if (node.type !== 'blockquote') return undefined
  const first = node.children[0]
  if (!first || first.type !== 'paragraph') return undefined
  const text = first.children[0]
  if (!text || text.type !== 'text') return undefined
  return markerPattern.exec(text.value)?.[1]
}

/** Turn a callout blockquote into a record entry (reporting unknown types). */
export function extractCallout(node: Blockquote, marker: string, file: VFile): Callout {
  const type = marker.toLowerCase()
  const start = node.position?.start ?? {line: 1, column: 1}
  if (!(calloutTypes as readonly string[]).includes(type)) {
    report(
      file,
      'unknown-callout-type',
      `Unknown callout type \`[!${marker}]\`; expected one of ${calloutTypes.map((t) => `\`[!${t.toUpperCase()}]\``).join(', ')}`,
      node.position,
      {actual: marker, expected: calloutTypes.map((t) => t.toUpperCase())}
    )
  }

  const [first, ...rest] = node.children
  const blocks = first && first.type === 'paragraph' ? [withoutMarker(first), ...rest] : node.children
  return {type, text: blocksText(blocks), position: {line: start.line, column: start.column}}
}

/** A copy of the callout's first paragraph without its `[!TYPE]` marker. */
function withoutMarker(paragraph: Paragraph): Paragraph {
  const [text, ...rest] = paragraph.children
  if (!text || text.type !== 'text') return paragraph
  return {...paragraph, children: [{...text, value: text.value.replace(markerPattern, '')}, ...rest]}
}
