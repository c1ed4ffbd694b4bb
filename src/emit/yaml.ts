/**
 * YAML output carrying exactly the data of the JSON output, for readers of
 * YAML 1.2 and of YAML 1.1 (PyYAML, for one) alike. Records are JSON data, so
 * this is a small emitter for JSON data rather than a general YAML library,
 * whose stringify was a large share of a build (`test/bench/HISTORY.md`).
 *
 * A string is written plain only when no reader can take it for anything
 * else (letters first, a conservative set of characters, not a YAML 1.1
 * boolean or null such as `yes`, `on`, `y`, `~`); every other string is
 * double-quoted with JSON's escapes (valid YAML), plus escapes for the line
 * and paragraph separators that YAML 1.1 readers break lines at.
 */

/** Plain strings: a letter first, then letters, digits, spaces and harmless punctuation. */
const plainPattern = /^[A-Za-z][\w .,;()/'’“”&+=@$%-]*$/
/** Words YAML 1.1 reads as booleans or null, in any case. */
const reservedPattern = /^(?:y|n|yes|no|on|off|true|false|null)$/i

export function emitYaml(value: unknown): string {
  if (isCollection(value) && !isEmpty(value)) return block(value, '')
  return scalar(value) + '\n'
}

type Collection = readonly unknown[] | Readonly<Record<string, unknown>>

function isCollection(value: unknown): value is Collection {
  return typeof value === 'object' && value !== null
}

function isEmpty(value: Collection): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0
}

/** A non-empty mapping or sequence as block lines, each prefixed by `indent`. */
function block(value: Collection, indent: string): string {
  let text = ''
  if (Array.isArray(value)) {
    for (const item of value) text += indent + '-' + inline(item, indent + '  ', true)
    return text
  }
  for (const key of Object.keys(value)) {
    text += indent + scalar(key) + ':' + inline((value as Record<string, unknown>)[key], indent + '  ', false)
  }
  return text
}

/** What follows `key:` or `-`: a scalar on the same line, or a block below (a mapping in a sequence starts on the same line). */
function inline(value: unknown, indent: string, inSequence: boolean): string {
  if (typeof value === 'string' && isLiteral(value)) {
    return ' |-\n' + value.split('\n').map((line) => (line === '' ? '' : indent + line)).join('\n') + '\n'
  }
  if (!isCollection(value) || isEmpty(value)) return ' ' + scalar(value) + '\n'
  if (inSequence && !Array.isArray(value)) return ' ' + block(value, indent).slice(indent.length)
  return '\n' + block(value, indent)
}

/**
 * Whether a multi-line string reads back the same as a `|-` block: no
 * leading or trailing white space on any line, no final line break, no
 * characters that need escapes.
 */
function isLiteral(text: string): boolean {
  return text.includes('\n') && !/(?:^|\n)[ \t]|[ \t](?:\n|$)|\n$|[\r\t\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029\ufeff]/.test(text)
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null'
  if (Array.isArray(value)) return '[]'
  if (typeof value === 'object') return '{}'
  const text = String(value)
  if (plainPattern.test(text) && !reservedPattern.test(text) && !text.endsWith(' ')) return text
  return JSON.stringify(text).replace(/[\u0085\u2028\u2029\ufeff]/g, (character) => '\\u' + character.charCodeAt(0).toString(16).padStart(4, '0'))
}
