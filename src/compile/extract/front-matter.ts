/**
 * Front matter: the `yaml` node remark-frontmatter produced, parsed with
 * `yaml`. Errors are reported at their real line in the Markdown file.
 */
import type {Html, Root} from 'mdast'
import type {Point, Position} from 'unist'
import type {VFile} from 'vfile'
import {isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, Scalar, visit, type Document} from 'yaml'
import {report} from '../messages.js'
import type {FrontMatter} from '../../types.js'

export interface ExtractedFrontMatter {
  /** Every key in source order, values as YAML parsed them. */
  data: FrontMatter
  /** Where each key's value starts in the Markdown file. */
  places: Map<string, Point>
  /** Where the front matter block stands. */
  position: Position | undefined
}

/** Aliases allowed in front matter before it counts as an alias bomb. */
const maxAliasCount = 100

/** The YAML text of the front matter and the line it starts on. */
interface FrontMatterBlock {
  value: string
  /** Line of the first YAML line in the Markdown file. */
  startLine: number
  position: Position | undefined
}

/**
 * Read the front matter of `tree`. Returns `null` (and reports) when there is
 * none or it cannot be read.
 */
export function extractFrontMatter(tree: Root, file: VFile): ExtractedFrontMatter | null {
  const block = locateFrontMatter(tree, file)
  if (!block) {
    report(
      file,
      'missing-front-matter',
      isOpened(String(file.value))
        ? 'The front matter that `---` opens on line 1 is never closed, so it is no front matter; add a `---` line after its last key'
        : 'Expected YAML front matter (`---` … `---`) at the start of the file; add one with at least `title` and `description`',
      {line: 1, column: 1}
    )
    return null
  }
  return parseFrontMatter(block, file)
}

/** Whether `text` starts with a `---` line, as front matter does (which remark-frontmatter did not read: it is not closed). */
function isOpened(text: string): boolean {
  return /^---[ \t]*(?:\r?\n|\r|$)/.test(text)
}

/**
 * The front matter block: the `yaml` node remark-frontmatter made, or, when
 * HTML comments stand before the opening `---` (so it is not front matter to
 * Markdown), the `---` … `---` block right after them, with a warning.
 */
function locateFrontMatter(tree: Root, file: VFile): FrontMatterBlock | undefined {
  const first = tree.children[0]
  if (first && first.type === 'yaml') {
    return {value: first.value, startLine: (first.position?.start.line ?? 1) + 1, position: first.position}
  }

  let index = 0
  while (tree.children[index]?.type === 'html' && /^<!--[\s\S]*-->$/.test((tree.children[index] as Html).value.trim())) index++
  const opening = tree.children[index]
  const body = tree.children[index + 1]
  // `---` after a comment is a thematic break, and the YAML lines up to the
  // closing `---` form a setext heading whose underline is that `---`.
  if (index === 0 || opening?.type !== 'thematicBreak' || body?.type !== 'heading' || body.depth !== 2) return undefined
  const start = body.position?.start
  const end = body.position?.end
  if (!start || !end || end.line <= start.line || start.line !== (opening.position?.end.line ?? 0) + 1) return undefined
  const lines = String(file.value).split(/\r?\n/)
  if ((lines[end.line - 1] ?? '').trim() !== '---') return undefined
  report(
    file,
    'front-matter-not-at-start',
    'Expected the front matter at the very start of the file; move the comment above it below the closing `---`',
    tree.children[0]?.position
  )
  return {
    value: lines.slice(start.line - 1, end.line - 1).join('\n'),
    startLine: start.line,
    position: {start: opening.position?.start ?? start, end}
  }
}

function parseFrontMatter(block: FrontMatterBlock, file: VFile): ExtractedFrontMatter | null {
  const startLine = block.startLine
  const lineCounter = new LineCounter()
  const document = parseDocument(block.value, {
    lineCounter,
    prettyErrors: false,
    // Duplicates are found below, to report both places.
    uniqueKeys: false,
    strict: true,
    // Read as bigint, so that an integer JSON cannot hold exactly is seen (`keepAsText`).
    intAsBigInt: true
  })

  const toPoint = (offset: number): Point => {
    const {line, col} = lineCounter.linePos(offset)
    return {line: startLine + line - 1, column: col}
  }

  const error = document.errors[0]
  if (error) {
    // Only the first error: the ones after it are usually its echoes.
    report(
      file,
      'invalid-front-matter',
      `Invalid YAML in front matter: ${yamlReason(error.message)}; fix the YAML syntax`,
      toPoint(error.pos[0])
    )
    return null
  }

  if (reportDuplicateKeys(document.contents, file, toPoint)) return null
  keepAsText(document, block.value, file, toPoint)

  const contents = document.contents
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return {data: {}, places: new Map(), position: block.position}
  }
  if (!isMap(contents)) {
    report(
      file,
      'invalid-front-matter',
      'Expected the front matter to be a mapping of keys to values (`title: …`), found a ' +
        (isScalar(contents) ? 'single value' : 'list'),
      toPoint(contents.range?.[0] ?? 0)
    )
    return null
  }

  const data: FrontMatter = {}
  const places = new Map<string, Point>()
  try {
    for (const pair of contents.items) {
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key)
      const value = isNode(pair.value)
        ? pair.value.toJS(document, {maxAliasCount})
        : (pair.value ?? null)
      // `defineProperty` keeps keys such as `__proto__` as plain data.
      Object.defineProperty(data, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true
      })
      const range = isNode(pair.value) ? pair.value.range : isNode(pair.key) ? pair.key.range : undefined
      places.set(key, toPoint(range?.[0] ?? 0))
    }
  } catch (error) {
    report(
      file,
      'invalid-front-matter',
      `Could not read the front matter: ${firstLine(error instanceof Error ? error.message : String(error))}; simplify the YAML`,
      block.position
    )
    return null
  }

  return {data, places, position: block.position}
}

/** Report every key that repeats in a mapping, at the repeat, naming the first place; `true` when any did. */
function reportDuplicateKeys(root: unknown, file: VFile, toPoint: (offset: number) => Point): boolean {
  let found = false
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const node = stack.pop()
    if (isMap(node)) {
      const seen = new Map<string, Point>()
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
        const place = toPoint(isNode(pair.key) ? (pair.key.range?.[0] ?? 0) : 0)
        const first = seen.get(key)
        if (first) {
          report(
            file,
            'invalid-front-matter',
            `Duplicate key \`${key}\` in front matter, first at ${first.line}:${first.column} and again at ${place.line}:${place.column}; keep one`,
            place,
            {note: `first at ${first.line}:${first.column}`}
          )
          found = true
        } else {
          seen.set(key, place)
        }
        stack.push(pair.value)
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item)
    }
  }
  return found
}

/** Tags of collections that JSON cannot hold as YAML reads them (a JavaScript `Set`, `Map`). */
const collectionTags: Record<string, string> = {
  'tag:yaml.org,2002:set': 'a `!!set`',
  'tag:yaml.org,2002:omap': 'an `!!omap`'
}

/** The largest integer a JSON reader holds exactly (2^53 − 1). */
const maxExact = BigInt(Number.MAX_SAFE_INTEGER)

/**
 * Make the document's values JSON data, so that the record round-trips
 * through JSON: an integer in JSON's exact range becomes a number, and a
 * value JSON cannot hold as YAML reads it (bytes, a date, an integer out of
 * that range, `.inf`, `.nan`, a set, an ordered map) is kept as its source
 * text, with `unsupported-front-matter-value`, as is a value whose tag
 * roledoc does not know (the tag is ignored). Changes `document` in place:
 * aliases of a changed value read the text too.
 */
function keepAsText(document: Document.Parsed, text: string, file: VFile, toPoint: (offset: number) => Point): void {
  const reportAt = (what: string, offset: number, kept: string): void => {
    report(
      file,
      'unsupported-front-matter-value',
      `Found ${what} in the front matter, which JSON cannot hold as YAML reads it; it is kept as its source text, ${JSON.stringify(kept)}. Quote the value to say it is text`,
      toPoint(offset),
      {actual: what}
    )
  }
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === 'bigint' && node.value >= -maxExact && node.value <= maxExact) {
        node.value = Number(node.value)
        return
      }
      const what = unsupportedScalar(node.value)
      if (what === undefined) return
      const [start = 0, end = start] = node.range ?? []
      const kept = node.source ?? text.slice(start, end)
      node.value = kept
      reportAt(what, start, kept)
    },
    Collection(_key, node) {
      const what = node.tag === undefined ? undefined : collectionTags[node.tag]
      if (what === undefined) return
      const [start = 0, end = start] = node.range ?? []
      const scalar = new Scalar(text.slice(start, end).trimEnd())
      reportAt(what, start, scalar.value)
      if (node.anchor !== undefined) scalar.anchor = node.anchor
      return scalar
    }
  })
  for (const warning of document.warnings) {
    if (warning.code !== 'TAG_RESOLVE_FAILED') continue
    const tag = /^Unresolved tag: (\S+)/.exec(warning.message)?.[1] ?? 'tag'
    report(
      file,
      'unsupported-front-matter-value',
      `Found the YAML tag \`${tag}\`, which roledoc does not know; the value is read as if it had no tag. Remove the tag`,
      toPoint(warning.pos[0]),
      {actual: tag}
    )
  }
}

/** What a scalar's value is when JSON cannot hold it as YAML reads it. */
function unsupportedScalar(value: unknown): string | undefined {
  if (typeof value === 'bigint') return 'an integer beyond ±(2^53 − 1)'
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : Number.isNaN(value) ? '`.nan`' : 'an infinite number'
  if (value instanceof Uint8Array) return '`!!binary` bytes'
  if (value instanceof Date) return 'a `!!timestamp`'
  if (typeof value === 'object' && value !== null) return 'a value that is not text, a number, `true`, `false` or `null`'
  return undefined
}

/** yaml's message without its own (front-matter-relative) place and excerpt. */
function yamlReason(message: string): string {
  return firstLine(message).replace(/\s+at line \d+, column \d+$/, '')
}

function firstLine(text: string): string {
  return (text.split('\n', 1)[0] ?? '').replace(/[.:]\s*$/, '')
}
