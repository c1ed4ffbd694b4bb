// @ts-check
/**
 * Benchmark baseline: what parsing alone costs. Reads every `*.md` file
 * under the given folder (sorted by path, hidden folders and `node_modules`
 * skipped, as `roledoc build` finds them) and parses each, one after the
 * other on one thread, with the plugins roledoc uses:
 * `unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm).parse()`.
 * Nothing else: no extraction, no output files.
 *
 *   node test/bench/baseline.mjs <folder>
 *
 * Prints `<files> files, <bytes> bytes, <nodes> top-level nodes` on stdout
 * (using the trees keeps the parse from being optimised away, and the runner
 * checks the file count).
 */
import {readFile} from 'node:fs/promises'
import process from 'node:process'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {listMarkdown} from './files.mjs'

/**
 * Read and parse every file in order, one at a time.
 * @param {readonly string[]} files
 * @returns {Promise<{files: number, bytes: number, nodes: number}>}
 */
async function parseAll(files) {
  const processor = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm)
  let bytes = 0
  let nodes = 0
  for (const file of files) {
    const text = await readFile(file, 'utf8')
    bytes += Buffer.byteLength(text)
    nodes += processor.parse(text).children.length
  }
  return {files: files.length, bytes, nodes}
}

async function main() {
  const folder = process.argv[2]
  if (!folder) {
    process.stderr.write('Usage: node test/bench/baseline.mjs <folder>\n')
    process.exitCode = 2
    return
  }
  const counts = await parseAll(await listMarkdown(folder))
  process.stdout.write(`${counts.files} files, ${counts.bytes} bytes, ${counts.nodes} top-level nodes\n`)
}

await main()
