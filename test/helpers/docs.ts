/**
 * The README and the reference pages under docs/, read as mdast trees, so
 * that tests can check what they say: their code blocks, option tables,
 * links and headings.
 */
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import GithubSlugger from 'github-slugger'
import type {Code, Heading, Nodes, Root, TableRow} from 'mdast'
import {toString} from 'mdast-util-to-string'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {root} from './paths.js'

export interface Page {
  /** Posix path relative to the repository root, e.g. `docs/cli.md`. */
  name: string
  text: string
  tree: Root
}

/** A link, image or definition of a page. */
export interface PageLink {
  url: string
  line: number
}

/** A table with the text of each cell, and the `##` heading it stands under. */
export interface PageTable {
  section: string
  header: string[]
  rows: Array<Array<{text: string; code: string[]}>>
}

const processor = unified().use(remarkParse).use(remarkGfm)

export function readPage(name: string): Page {
  const text = readFileSync(path.join(root, name), 'utf8')
  return {name, text, tree: processor.parse(text)}
}

/** README.md and every page in docs/, in that order. */
export function readPages(): Page[] {
  const docs = readdirSync(path.join(root, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => `docs/${file}`)
  return ['README.md', ...docs].map(readPage)
}

function walk(node: Nodes, visit: (node: Nodes) => void): void {
  visit(node)
  if ('children' in node) for (const child of node.children) walk(child, visit)
}

export function codeBlocks(page: Page, lang?: string): Code[] {
  const blocks: Code[] = []
  walk(page.tree, (node) => {
    if (node.type === 'code' && (lang === undefined || node.lang === lang)) blocks.push(node)
  })
  return blocks
}

/** The one code block of `lang` whose text passes `test`; fails when there is none or several. */
export function codeBlock(page: Page, lang: string, test: (value: string) => boolean): string {
  const found = codeBlocks(page, lang).filter((block) => test(block.value))
  if (found.length !== 1) throw new Error(`${page.name}: expected one \`${lang}\` block that passes ${String(test)}, found ${found.length}`)
  return found[0]?.value ?? ''
}

/** The text of every inline code span of the page. */
export function inlineCode(page: Page): string[] {
  const found: string[] = []
  walk(page.tree, (node) => {
    if (node.type === 'inlineCode') found.push(node.value)
  })
  return found
}

export function links(page: Page): PageLink[] {
  const found: PageLink[] = []
  walk(page.tree, (node) => {
    if (node.type === 'link' || node.type === 'image' || node.type === 'definition') {
      found.push({url: node.url, line: node.position?.start.line ?? 0})
    }
  })
  return found
}

/** The anchors GitHub gives the page's headings. */
export function anchors(page: Page): Set<string> {
  const slugger = new GithubSlugger()
  const found = new Set<string>()
  walk(page.tree, (node) => {
    if (node.type === 'heading') found.add(slugger.slug(toString(node)))
  })
  return found
}

export function headings(page: Page, depth: Heading['depth']): string[] {
  return page.tree.children.filter((node): node is Heading => node.type === 'heading' && node.depth === depth).map((node) => toString(node))
}

function cellsOf(row: TableRow): Array<{text: string; code: string[]}> {
  return row.children.map((cell) => {
    const code: string[] = []
    walk(cell, (node) => {
      if (node.type === 'inlineCode') code.push(node.value)
    })
    return {text: toString(cell), code}
  })
}

/** Every table of the page, with the `##` section it is in (`''` before the first). */
export function tables(page: Page): PageTable[] {
  const found: PageTable[] = []
  let section = ''
  for (const node of page.tree.children) {
    if (node.type === 'heading' && node.depth <= 2) section = toString(node)
    walk(node, (child) => {
      if (child.type !== 'table') return
      const [head, ...rows] = child.children
      if (!head) return
      found.push({section, header: cellsOf(head).map((cell) => cell.text), rows: rows.map(cellsOf)})
    })
  }
  return found
}

/**
 * A pattern for output shown in the docs, where `…` stands for text left
 * out: a line that is only `…` for any number of lines, and `…` inside a
 * line for any text on that line.
 */
export function shownOutput(shown: string): RegExp {
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const lines = shown.split('\n').map((line) => (line === '…' ? '(?:[^\\n]*\\n)*?' : escape(line).replaceAll('…', '[^\\n]*?') + '\\n'))
  return new RegExp('^' + lines.join('') + '$')
}

/** A JavaScript example of a page that imports roledoc, and what its `console.log(…) // shown` comments say it prints. */
export interface JsExample {
  page: string
  code: string
  /** The modules it imports, as written. */
  imports: string[]
  expected: string[]
}

/** Every `js` block of `pages` that imports `roledoc` or `roledoc/plugin`. */
export function jsExamples(pages: readonly Page[]): JsExample[] {
  return pages.flatMap((page) =>
    codeBlocks(page, 'js')
      .filter((block) => /from 'roledoc(?:\/plugin)?'/.test(block.value))
      .map((block) => ({
        page: page.name,
        code: block.value,
        imports: [...block.value.matchAll(/^import\b[^'\n]*'([^']+)'/gm)].map((match) => match[1] ?? ''),
        expected: [...block.value.matchAll(/console\.log\(.*\) \/\/ (.*)$/gm)].map((match) => match[1] ?? '')
      }))
  )
}
