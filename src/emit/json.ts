/** JSON output: 2-space indent and a final newline; key order as built. */
export function emitJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n'
}

/**
 * The text of `emitJson(value)`, a piece at a time: each item of a list,
 * also of a list in (objects in) an object, on its own, so that a big index
 * is never one string (nor the larger ones `JSON.stringify` makes on the
 * way). What is not a plain object or a list (a `Date`, anything with
 * `toJSON`) is written whole by `JSON.stringify`, as are the items.
 */
export function* emitJsonChunks(value: unknown): Generator<string> {
  yield* chunks(value, '')
  yield '\n'
}

function* chunks(value: unknown, indent: string): Generator<string> {
  const inner = indent + '  '
  if (Array.isArray(value) && value.length > 0) {
    yield '['
    for (const [index, item] of value.entries()) {
      // As `JSON.stringify` writes an item that is not JSON: `null`.
      yield (index === 0 ? '\n' : ',\n') + inner + nested(item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item, inner)
    }
    yield `\n${indent}]`
  } else if (isPlainObject(value)) {
    // As `JSON.stringify` leaves out a field that is not JSON.
    const fields = Object.entries(value).filter(([, field]) => field !== undefined && typeof field !== 'function' && typeof field !== 'symbol')
    if (fields.length === 0) {
      yield '{}'
      return
    }
    yield '{'
    for (const [index, [key, field]] of fields.entries()) {
      yield `${index === 0 ? '\n' : ',\n'}${inner}${JSON.stringify(key)}: `
      yield* chunks(field, inner)
    }
    yield `\n${indent}}`
  } else {
    yield nested(value, indent)
  }
}

/** `value` as `JSON.stringify` writes it `indent` deep. */
function nested(value: unknown, indent: string): string {
  const text = JSON.stringify(value, null, 2)
  // A line break in JSON text is always layout: in a string it is `\n`.
  return indent === '' ? text : text.replaceAll('\n', '\n' + indent)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const prototype = Object.getPrototypeOf(value) as unknown
  return (prototype === Object.prototype || prototype === null) && !('toJSON' in value)
}
