// @ts-check
/**
 * Benchmark baseline: what parsing alone costs. Reads every `*.md` file
 * under the given folder (sorted by path, hidden folders and `node_modules`
 * skipped, as `roledoc build` finds them) and parses each, one after the
 * other on one thread, with the plugins roledoc uses:
 * `unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm).parse()`.
 * Nothing else: no extraction, no output files.
 *
 *   node test/bench/baseline.mjs [--read sync|await] <folder>
 *
 * `--read sync` (the default) reads each file with `readFileSync` just
 * before it is parsed: the fastest bare parse, what the bench calls the
 * baseline. `--read await` awaits `readFile` before each parse, as the
 * bench's baseline did before issue #26 (each await lets the event loop
 * turn, which costs about 1.4 times the parse on the scale corpora).
 *
 * Prints `<files> files, <bytes> bytes, <nodes> top-level nodes` on stdout
 * (using the trees keeps the parse from being optimised away, and the runner
 * checks the file count).
 */
import {readFileSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import process from 'node:process'
import {parseArgs} from 'node:util'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {listMarkdown} from './files.mjs'

/** @typedef {{files: number, bytes: number, nodes: number}} Counts */

const processor = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm).freeze()

/**
 * Read each file synchronously and parse it, one at a time.
 * @param {readonly string[]} files
 * @returns {Counts}
 */
function parseEachRead(files) {
  let bytes = 0
  let nodes = 0
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    bytes += Buffer.byteLength(text)
    nodes += processor.parse(text).children.length
  }
  return {files: files.length, bytes, nodes}
}

/**
 * Await the reading of each file, then parse it, one at a time.
 * @param {readonly string[]} files
 * @returns {Promise<Counts>}
 */
async function parseEachAwaited(files) {
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
  const {values, positionals} = parseArgs({options: {read: {type: 'string', default: 'sync'}}, allowPositionals: true})
  const folder = positionals[0]
  if (!folder || positionals.length > 1 || (values.read !== 'sync' && values.read !== 'await')) {
    process.stderr.write('Usage: node test/bench/baseline.mjs [--read sync|await] <folder>\n')
    process.exitCode = 2
    return
  }
  const files = await listMarkdown(folder)
  const counts = values.read === 'sync' ? parseEachRead(files) : await parseEachAwaited(files)
  process.stdout.write(`${counts.files} files, ${counts.bytes} bytes, ${counts.nodes} top-level nodes\n`)
}

await main()
