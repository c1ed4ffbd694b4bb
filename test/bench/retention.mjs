// @ts-check
/**
 * Why parsing is hard on V8's memory. An object made with `Object.create(p)`
 * gets a map (hidden class) whose prototype is `p`, and maps live in the old
 * generation: `p`, and everything it reaches, then survives every
 * young-generation collection until the next full one. micromark does this
 * with each tokenizer's context (`Object.assign(Object.create(context),
 * fields)` in `micromark/lib/create-tokenizer.js`, for constructs that may
 * interrupt a paragraph), so a parse's tokens and events are promoted to
 * the old generation instead of dying young.
 *
 *   node test/bench/retention.mjs [--file <markdown file>] [--times 3000]
 *
 * Runs each case in its own `node --trace-gc-nvp` process and prints a
 * Markdown table: what the case allocated, how much of it V8 promoted (the
 * sums of `allocated=` and `promoted=` over its young-generation
 * collections), and how many full collections it took. The cases:
 *
 * - synthetic: make an object that holds 500 small objects, and drop it;
 * - the same, plus `Object.create` of that object;
 * - the baseline's parse
 *   (`unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm)`) of
 *   a document of plain paragraphs (no construct there tries to interrupt
 *   one), and of the file.
 *
 * The default file is a small include of the real reference.
 */
import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {markdownTable} from './report.mjs'
import {referenceFolder} from './scale.mjs'

const self = fileURLToPath(import.meta.url)
const paragraphs = Array.from({length: 6}, () => 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(4).trim()).join('\n\n') + '\n'

const {values} = parseArgs({
  options: {
    file: {type: 'string', default: path.join(referenceFolder, 'includes', 'entra-backup-administrator.md')},
    times: {type: 'string', default: '3000'},
    // Internal: run one case and exit.
    case: {type: 'string'}
  }
})

/** @type {Record<string, {label: string, run: (text: string) => number}>} */
const cases = {
  plain: {label: 'synthetic: an object of 500 objects, dropped', run: () => holder(false)},
  prototype: {label: 'the same, plus `Object.create` of it', run: () => holder(true)},
  paragraphs: {label: 'baseline parse, 6 plain paragraphs', run: () => remark.parse(paragraphs).children.length},
  file: {label: 'baseline parse, the file', run: (text) => remark.parse(text).children.length}
}
const remark = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm)

if (values.case) {
  const chosen = cases[values.case]
  if (!chosen) throw new Error(`no case ${values.case}`)
  const text = readFileSync(String(values.file), 'utf8')
  let kept = 0
  for (let index = 0; index < Number(values.times); index++) kept += chosen.run(text)
  // Using the results keeps the work from being optimised away.
  process.stderr.write(`${kept}\n`)
} else {
  main()
}

/**
 * @param {boolean} asPrototype
 * @returns {number}
 */
function holder(asPrototype) {
  const items = []
  for (let index = 0; index < 500; index++) items.push({index, point: {line: index, column: 1}})
  const context = {items, line: 1}
  if (asPrototype) return Object.assign(Object.create(context), {interrupt: true}).line + items.length
  return context.line + items.length
}

function main() {
  /** @type {string[][]} */
  const rows = []
  for (const [name, {label}] of Object.entries(cases)) {
    const trace = execFileSync(process.execPath, ['--trace-gc-nvp', self, '--case', name, '--file', String(values.file), '--times', String(values.times)], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']})
    const sum = (/** @type {RegExp} */ pattern) => [...trace.matchAll(pattern)].reduce((total, match) => total + Number(match[1]), 0)
    const allocated = sum(/ allocated=(\d+)/g)
    const promoted = sum(/ promoted=(\d+)/g)
    const full = [...trace.matchAll(/ gc=mc /g)].length
    if (!/ gc=s /.test(trace) || allocated === 0) throw new Error(`No young collections in the --trace-gc-nvp output of case ${name}: this Node prints another format.`)
    rows.push([label, (allocated / 1e6).toFixed(0), (promoted / 1e6).toFixed(1), `${((100 * promoted) / Math.max(allocated, 1)).toFixed(1)} %`, String(full)])
  }
  process.stdout.write(`## What survives young collections (${values.times} times each; ${path.relative(process.cwd(), String(values.file))})\n\n${markdownTable(['case', 'allocated MB', 'promoted MB', 'promoted', 'full collections'], rows, ['left', 'right', 'right', 'right', 'right'])}\n`)
}
