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

/** Parse `file` (whose value is a string) into an mdast tree. */
export function parse(file: VFile): Root {
  return processor.parse(file)
}
