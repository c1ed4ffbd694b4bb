/**
 * Front matter: the `yaml` node remark-frontmatter produced, parsed with
 * `yaml`. Errors are reported at their real line in the Markdown file.
 */
import type {Root, Yaml} from 'mdast'
import type {Point} from 'unist'
import type {VFile} from 'vfile'
import {isMap, isNode, isScalar, LineCounter, parseDocument} from 'yaml'
import {report} from '../messages.js'
import type {FrontMatter} from '../types.js'

export interface ExtractedFrontMatter {
  /** Every key in source order, values as YAML parsed them. */
  data: FrontMatter
  /** Where each key's value starts in the Markdown file. */
  places: Map<string, Point>
  node: Yaml
}

/** Aliases allowed in front matter before it counts as an alias bomb. */
const maxAliasCount = 100

/**
 * Read the front matter of `tree`. Returns `null` (and reports) when there is
 * none or it cannot be read.
 */
export function extractFrontMatter(tree: Root, file: VFile): ExtractedFrontMatter | null {
  const node = tree.children[0]
  if (!node || node.type !== 'yaml') {
    report(
      file,
      'missing-front-matter',
      'Expected YAML front matter (`---` … `---`) at the start of the file; add one with at least `title` and `description`',
      {line: 1, column: 1}
    )
    return null
  }

  // The YAML text starts on the line after the opening `---`.
  const startLine = (node.position?.start.line ?? 1) + 1
  const lineCounter = new LineCounter()
  const document = parseDocument(node.value, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true
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

  const contents = document.contents
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return {data: {}, places: new Map(), node}
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
      node.position
    )
    return null
  }

  return {data, places, node}
}

/** yaml's message without its own (front-matter-relative) place and excerpt. */
function yamlReason(message: string): string {
  return firstLine(message).replace(/\s+at line \d+, column \d+$/, '')
}

function firstLine(text: string): string {
  return (text.split('\n', 1)[0] ?? '').replace(/[.:]\s*$/, '')
}
