/**
 * How roledoc's reports read, in a terminal and in Markdown: `roledoc diff`
 * and `roledoc drift` (text and md) and the lines the CLI prints. Styles for
 * code, quoted text and names; counts of things; items grouped by the role
 * they are about, under a title; the name a mistyped one was meant to be.
 */
import {closestMatch} from 'leven'

/** How a report writes an action or path (`code`), a text it quotes, and a name. */
export interface Style {
  code: (text: string) => string
  quote: (text: string) => string
  name: (text: string) => string
}

/** For a terminal: texts quoted as JSON strings, everything else as it is. */
export const textStyle: Style = {code: (text) => text, quote: (text) => JSON.stringify(text), name: (text) => text}

/** For Markdown (a pull-request comment): code spans, curly quotes, and Markdown's characters escaped. */
export const markdownStyle: Style = {code: codeSpan, quote: (text) => `“${escapeMarkdown(text)}”`, name: escapeMarkdown}

/** `text` as a Markdown code span, also when it holds a backtick. */
export function codeSpan(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``
}

/** `text` with Markdown's characters escaped, on one line. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|#~]/g, '\\$&').replace(/\n/g, ' ')
}

/** `1 role`, `2 roles`: `value` and the word for that many (`many` when the plural is not `one` and an `s`). */
export function count(value: number, one: string, many = `${one}s`): string {
  return `${value} ${value === 1 ? one : many}`
}

/** `items` grouped by the role each is about, the roles in the order they first come; `keyOf` tells two roles apart. */
export function groupByRole<Item extends {role: unknown}>(items: readonly Item[], keyOf: (role: Item['role']) => string): Array<[Item['role'], Item[]]> {
  const groups = new Map<string, [Item['role'], Item[]]>()
  for (const item of items) {
    const key = keyOf(item.role)
    const group: [Item['role'], Item[]] = groups.get(key) ?? [item.role, []]
    group[1].push(item)
    groups.set(key, group)
  }
  return [...groups.values()]
}

/** The title of a role's group: `Name (key)`, or the key alone for a role without a name. */
export function roleTitle(name: string | null, key: string, style: Style): string {
  return name === null ? style.code(key) : `${style.name(name)} (${style.code(key)})`
}

/**
 * The name among `names` that `typed` was most likely meant to be: the
 * closest by edit distance (case aside), if it is within 2 edits or a third
 * of its length; else `undefined`.
 */
export function closestName(typed: string, names: readonly string[]): string | undefined {
  const lower = typed.toLowerCase()
  const maxDistance = Math.max(2, Math.ceil(lower.length / 3))
  const found = closestMatch(lower, names.map((name) => name.toLowerCase()), {maxDistance})
  return found === undefined ? undefined : names.find((name) => name.toLowerCase() === found)
}
