// @ts-check
/**
 * How much a second core helps on this machine: the same work done by one
 * process, and split between two processes that run at once. Where two cores
 * double the throughput, the two halves take about half the time; the
 * speedup measured here bounds what `roledoc build --workers 2` can gain
 * over one worker, whatever roledoc does. Two kinds of work:
 *
 * - parse: what the baseline does (`baseline.mjs`: read each Markdown file
 *   of a scale corpus and parse it with
 *   `unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm)`), all
 *   files in one process, or every other file in each of two;
 * - the same parse with V8's garbage collector on the main thread only
 *   (`node --single-threaded-gc`): a parse keeps about 1.5 cores busy, the
 *   rest being the collector's helper threads, and this shows what those
 *   cost when two processes share the cores;
 * - loop: an integer loop that allocates nothing, 2 × 10⁹ steps in one
 *   process, or half of them in each of two.
 *
 *   node test/bench/scaling.mjs [--scale 10] [--runs 3]
 *
 * Prints a Markdown table: median wall time of one process doing all the
 * work, median wall time of two doing half each (spawn to exit of the later
 * one), and the speedup (the first over the second).
 */
import {readFileSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import {listMarkdown} from './files.mjs'
import {measure, median} from './measure.mjs'
import {formatMs, markdownTable} from './report.mjs'
import {generateScaleCorpus, referenceFolder, repoRoot} from './scale.mjs'

const loopSteps = 2e9
const self = fileURLToPath(import.meta.url)

const {values} = parseArgs({
  options: {
    scale: {type: 'string', default: '10'},
    runs: {type: 'string', default: '3'},
    // Internal: run one share of the work and exit.
    work: {type: 'string'},
    part: {type: 'string'},
    corpus: {type: 'string'}
  }
})

if (values.work) {
  const [index, count] = (values.part ?? '0/1').split('/').map(Number)
  if (values.work === 'loop') loop(Math.round(loopSteps / Number(count)))
  else await parse(String(values.corpus), Number(index), Number(count))
} else {
  await main(Number(values.scale), Number(values.runs))
}

/**
 * @param {number} scale
 * @param {number} runs
 */
async function main(scale, runs) {
  if (!Number.isInteger(scale) || scale < 1 || !Number.isInteger(runs) || runs < 1) {
    throw new Error('Expected --scale and --runs as whole numbers from 1')
  }
  const temporary = await mkdtemp(path.join(os.tmpdir(), 'roledoc-scaling-'))
  try {
    const corpus = path.join(temporary, `corpus-${scale}`)
    await generateScaleCorpus(referenceFolder, corpus, scale)
    const files = (await listMarkdown(corpus)).length
    const rows = []
    for (const [work, flags] of /** @type {const} */ ([['parse', []], ['parse', ['--single-threaded-gc']], ['loop', []]])) {
      /** @param {number} index @param {number} count */
      const args = (index, count) => [...flags, self, '--work', work, '--part', `${index}/${count}`, '--corpus', corpus]
      const one = []
      const two = []
      for (let run = 0; run < runs; run++) {
        one.push(checked(await measure(args(0, 1), repoRoot)).ms)
        const halves = await Promise.all([measure(args(0, 2), repoRoot), measure(args(1, 2), repoRoot)])
        two.push(Math.max(...halves.map((half) => checked(half).ms)))
      }
      const [alone, together] = [median(one), median(two)]
      const label = (work === 'parse' ? `parse ${files.toLocaleString('en-US')} files (${scale}× corpus)` : 'integer loop') + flags.map((flag) => `, ${flag}`).join('')
      rows.push([label, formatMs(alone), formatMs(together), `${(alone / together).toFixed(2)}×`])
    }
    console.log(`## How much a second process helps (median of ${runs} runs, ${os.availableParallelism()} CPUs)\n`)
    console.log(markdownTable(['work', 'one process, all', 'two processes at once, half each', 'speedup'], rows, ['left', 'right', 'right', 'right']))
  } finally {
    await rm(temporary, {recursive: true, force: true})
  }
}

/**
 * @param {import('./measure.mjs').Measured} measured
 * @returns {import('./measure.mjs').Measured}
 */
function checked(measured) {
  if (measured.code !== 0) throw new Error(`A share of the work failed (exit ${measured.code}):\n${measured.stderr}`)
  return measured
}

/**
 * Parse every `count`-th file of `corpus`, from the `index`-th on, as the baseline does.
 * @param {string} corpus
 * @param {number} index
 * @param {number} count
 */
async function parse(corpus, index, count) {
  const {unified} = await import('unified')
  const {default: remarkParse} = await import('remark-parse')
  const {default: remarkFrontmatter} = await import('remark-frontmatter')
  const {default: remarkGfm} = await import('remark-gfm')
  const processor = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm)
  let nodes = 0
  for (const [position, file] of (await listMarkdown(corpus)).entries()) {
    if (position % count === index) nodes += processor.parse(readFileSync(file, 'utf8')).children.length
  }
  console.log(nodes)
}

/** @param {number} steps */
function loop(steps) {
  let sum = 0
  for (let step = 0; step < steps; step++) sum += step % 7
  console.log(sum)
}
