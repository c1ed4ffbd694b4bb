/**
 * Stage 1: Markdown to mdast. Only unified with remark-parse,
 * remark-frontmatter (YAML front matter as a `yaml` node with positions) and
 * remark-gfm (tables). Nothing else happens here.
 */
import type {Root} from 'mdast'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import type {VFile} from 'vfile'

const processor = unified()
  .use(remarkParse)
  .use(remarkFrontmatter, ['yaml'])
  .use(remarkGfm)
  .freeze()

/** A first line that opens front matter. */
const opening = /^---[ \t]*(?=\r?\n|\r|$)/

/**
 * Parse `file` (whose value is a string) into an mdast tree. A `---` that
 * opens front matter which is never closed is no front matter, but it
 * keeps remark-frontmatter from reading the blocks after it (blockquotes
 * and lists come out as paragraphs: micromark-extension-frontmatter issue
 * 5); such a file is parsed again with that line blank, so that its other
 * blocks are read, at the same places. `extractFrontMatter` reports it.
 */
export function parse(file: VFile): Root {
  const tree = processor.parse(file)
  const text = String(file.value)
  if (tree.children[0]?.type === 'yaml' || !opening.test(text)) return tree
  return processor.parse(text.replace(opening, ''))
}
