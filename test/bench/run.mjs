// @ts-check
/**
 * `npm run bench`: how fast `roledoc build` is, against what parsing alone
 * costs and what a user would otherwise script with remark-cli.
 *
 *   node test/bench/run.mjs [--scale 1,10,100] [--runs R] [--rss-scales 10,100] [--keep]
 *
 * For each corpus (scale 1 is a copy of the real reference folder; scale N
 * is `scale.mjs`'s N renamed, varied copies of it, in a temp folder), it
 * times eight scenarios, each a child process `node --import
 * test/bench/rss.mjs …` timed from here, spawn to exit (1, 2, 3, 4, 7 and 8
 * round-robin, so changing machine load hits them alike; then 5; then 6):
 *
 *   1. baseline: `test/bench/baseline.mjs`, remark parse of every file, one
 *      thread, each file read with `readFileSync` just before its parse
 *   2. `roledoc build --workers 1 --no-cache`
 *   3. `roledoc build --workers 2 --no-cache`
 *   4. `roledoc build --no-cache` (default workers)
 *   5. `roledoc build --cache-dir DIR` again with the cache warm, nothing changed
 *   6. the same after one include file changed (a new sentence each run)
 *   7. remark-cli with remark-frontmatter and remark-gfm, writing nothing
 *   8. the baseline as it was before issue #26: `baseline.mjs --read await`
 *
 * and prints one Markdown table per corpus (median time, CPU ÷ wall, ratios,
 * peak RSS, target, pass or fail), the peak RSS growth between scales, and checks that
 * the outputs of 2, 3, 4 and 5 (and a cold-cache build) are byte-identical and
 * that the one-file-changed rebuild equals a full build of the changed files.
 * Medians of `--runs` runs (default 5 below scale 100, 1 at 100 and above).
 *
 * Corpora, outputs and caches go to a folder under os.tmpdir(), removed at
 * the end unless --keep. `dist/` is copied there first and run from the
 * copy. The report goes to stdout, progress to stderr. Exit code 1 when a scenario
 * failed to run or an output check failed; missed targets are reported, not
 * an error.
 *
 * Environment:
 * - ROLEDOC_BENCH_NO_FLAGS=1 drops `--workers`, `--cache-dir` and
 *   `--no-cache` from the roledoc commands. An escape hatch to try the
 *   script against a CLI that does not have those flags yet (it rejects
 *   them with exit 2); scenarios 2–5 are then all plain full builds, so
 *   their ratios mean nothing (and a CLI with a default cache folder uses it).
 * - ROLEDOC_CORPUS, ROLEDOC_REFERENCE: where the real corpus is (see scale.mjs).
 */
import {cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile} from 'node:fs/promises'
import {existsSync, rmSync} from 'node:fs'
import {execFileSync} from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import process from 'node:process'
import {parseArgs} from 'node:util'
import {compareFolders, digestFolder, listMarkdown} from './files.mjs'
import {measure, median} from './measure.mjs'
import {formatBytes, formatCores, formatMiB, formatMs, formatRatio, markdownTable, shellQuote} from './report.mjs'
import {generateScaleCorpus, referenceFolder, repoRoot} from './scale.mjs'
import {runHistoryBench} from './history.mjs'

/** @typedef {import('./measure.mjs').Measured} Measured */

/**
 * @typedef {object} Corpus
 * @property {number} scale
 * @property {string} folder the Markdown files (absolute)
 * @property {string} work where outputs and the cache go (absolute)
 * @property {number} files Markdown files in `folder`
 * @property {{files: number, bytes: number, sha256: string}} digest
 */

/**
 * @typedef {object} Scenario
 * @property {number} id
 * @property {string} name
 * @property {(corpus: Corpus) => string[]} args program and arguments, after `node --import rss.mjs`
 * @property {(run: Measured, corpus: Corpus) => void} check throws when the run did not do its job
 */

/**
 * @typedef {object} Outcome
 * @property {Measured[]} runs
 * @property {string | null} error
 */

/** @typedef {{ok: boolean | null, text: string}} Note ok: null for information */

/**
 * @typedef {object} ScaleResult
 * @property {Corpus} corpus
 * @property {Map<number, Outcome>} outcomes
 * @property {Note[]} notes
 */

const noFlags = process.env['ROLEDOC_BENCH_NO_FLAGS'] === '1'
/**
 * The CLI every roledoc scenario runs: `dist/bin.js` of a snapshot of
 * `dist/` taken at start (see `snapshotDist`), so that a rebuild while the
 * benchmark runs cannot mix two versions (roledoc's cache key includes its
 * code, so a rebuild would also empty the cache mid-run).
 */
let bin = path.join(repoRoot, 'dist', 'bin.js')
const remarkCli = 'node_modules/remark-cli/cli.js'
const remarkArgs = ['--no-stdout', '--frail=false', '--use', 'remark-frontmatter', '--use', 'remark-gfm']

const out = {
  oneWorker: 'out-1-worker',
  twoWorkers: 'out-2-workers',
  defaultWorkers: 'out-default-workers',
  cache: 'out-cache',
  coldCache: 'out-cold-cache',
  verify: 'out-verify'
}

/** How many worker threads `roledoc build` starts here without `--workers`: its own rule, read from `dist/` (`?` before a build). */
const defaultWorkerCount = await import('../../dist/driver/threads.js').then(
  (threads) => String(threads.defaultWorkers()),
  () => '?'
)

/** @type {Scenario[]} */
const scenarios = [
  {id: 1, name: 'baseline: remark parse, 1 thread, readFileSync', args: (c) => ['test/bench/baseline.mjs', c.folder], check: checkBaseline},
  {id: 2, name: 'roledoc build, 1 worker', args: (c) => buildArgs(c, out.oneWorker, ['--workers', '1', '--no-cache']), check: checkBuild},
  {id: 3, name: 'roledoc build, 2 workers', args: (c) => buildArgs(c, out.twoWorkers, ['--workers', '2', '--no-cache']), check: checkBuild},
  {id: 4, name: `roledoc build, default workers (${defaultWorkerCount})`, args: (c) => buildArgs(c, out.defaultWorkers, ['--no-cache']), check: checkBuild},
  {id: 5, name: 'no-change rebuild, warm cache', args: cachedBuildArgs, check: checkBuild},
  {id: 6, name: 'rebuild, 1 file changed', args: cachedBuildArgs, check: checkBuild},
  {id: 7, name: 'remark-cli, same plugins, writes nothing', args: (c) => [remarkCli, c.folder, '--quiet', ...remarkArgs], check: checkExitZero},
  {id: 8, name: 'baseline before #26: awaits each readFile', args: (c) => ['test/bench/baseline.mjs', '--read', 'await', c.folder], check: checkBaseline}
]

/**
 * Targets: `vsBaseline` (scenario 1) and `vsCold` (scenario 4, the cold
 * build with default workers) are ratios of medians.
 * @type {Record<number, {text: string, pass: (figures: {ms: number, vsBaseline: number, vsCold: number, medians: Map<number, number>}) => boolean}>}
 */
const targets = {
  2: {text: '≤ 1.1× baseline', pass: (f) => f.vsBaseline <= 1.1},
  4: {text: '≤ 1 worker (2)', pass: (f) => f.ms <= (f.medians.get(2) ?? Number.NaN)},
  5: {text: '≤ 0.05× cold build', pass: (f) => f.vsCold <= 0.05},
  6: {text: '≤ 0.1× cold build', pass: (f) => f.vsCold <= 0.1},
  7: {text: '≥ 1× default workers (4)', pass: (f) => f.ms >= (f.medians.get(4) ?? Number.NaN)}
}

/** Peak RSS at scale 100 may be at most this many times that at scale 10, for the roledoc scenarios (`--rss-scales` moves the pair, for a quick trial). */
const rssGrowthTarget = {from: 10, to: 100, limit: 1.5, scenarios: [2, 3, 4, 5, 6]}

/**
 * `roledoc build <corpus> --out <work>/<folder> ...flags`.
 * @param {Corpus} corpus
 * @param {string} folder
 * @param {readonly string[]} flags
 * @returns {string[]}
 */
function buildArgs(corpus, folder, flags) {
  return [bin, 'build', corpus.folder, '--out', path.join(corpus.work, folder), ...newFlags(flags)]
}

/**
 * The cached build of scenarios 5 and 6 (and the untimed run that warms the cache).
 * @param {Corpus} corpus
 * @returns {string[]}
 */
function cachedBuildArgs(corpus) {
  return buildArgs(corpus, out.cache, ['--cache-dir', path.join(corpus.work, 'cache')])
}

/**
 * `flags`, without the worker and cache flags when ROLEDOC_BENCH_NO_FLAGS=1.
 * @param {readonly string[]} flags
 * @returns {string[]}
 */
function newFlags(flags) {
  if (!noFlags) return [...flags]
  const kept = []
  for (let index = 0; index < flags.length; index++) {
    const flag = /** @type {string} */ (flags[index])
    if (flag === '--workers' || flag === '--cache-dir') index++
    else if (flag !== '--no-cache') kept.push(flag)
  }
  return kept
}

/**
 * @param {Measured} run
 * @param {Corpus} corpus
 */
function checkBaseline(run, corpus) {
  checkExitZero(run)
  const files = Number(/^(\d+) files/.exec(run.stdout)?.[1])
  if (files !== corpus.files) throw new Error(`baseline parsed ${files} files, expected ${corpus.files}`)
}

/**
 * Exit 0, every file read, no errors.
 * @param {Measured} run
 * @param {Corpus} corpus
 */
function checkBuild(run, corpus) {
  checkExitZero(run)
  const files = Number(/roledoc: (\d+) files? read/.exec(run.stderr)?.[1])
  const errors = Number(/roledoc: (\d+) errors?/.exec(run.stderr)?.[1])
  if (files !== corpus.files) throw new Error(`roledoc read ${files} files, expected ${corpus.files}`)
  if (errors !== 0) throw new Error(`roledoc reported ${errors} errors`)
}

/**
 * @param {Measured} run
 */
function checkExitZero(run) {
  if (run.code !== 0) {
    const tail = run.stderr.trim().split('\n').slice(-3).join(' / ')
    throw new Error(`exit ${run.code ?? run.signal}: ${tail}`)
  }
}

/**
 * @param {string} text
 */
function progress(text) {
  process.stderr.write(`${text}\n`)
}

/**
 * @param {string} text
 */
function print(text) {
  process.stdout.write(`${text}\n`)
}

/**
 * Run scenarios `runs` times each, round-robin (run 1 of each, then run 2
 * of each, …), so a change in machine load affects them alike. A scenario
 * stops at its first failed run.
 * @param {readonly Scenario[]} list
 * @param {Corpus} corpus
 * @param {number} runs
 * @param {(run: number) => Promise<void>} [before] untimed, before each run
 * @returns {Promise<Map<number, Outcome>>}
 */
async function runScenarios(list, corpus, runs, before) {
  /** @type {Map<number, Outcome>} */
  const outcomes = new Map(list.map((scenario) => [scenario.id, {runs: [], error: null}]))
  for (let run = 0; run < runs; run++) {
    for (const scenario of list) {
      const outcome = /** @type {Outcome} */ (outcomes.get(scenario.id))
      if (outcome.error) continue
      try {
        if (before) await before(run)
        const measured = await measure(scenario.args(corpus), repoRoot)
        scenario.check(measured, corpus)
        outcome.runs.push(measured)
        progress(`  ${corpus.scale}× ${scenario.id}. ${scenario.name}: run ${run + 1}/${runs}: ${formatMs(measured.ms)} ms, ${formatMiB(measured.rssKiB)} MiB`)
      } catch (error) {
        outcome.error = error instanceof Error ? error.message : String(error)
        progress(`  ${corpus.scale}× ${scenario.id}. ${scenario.name}: failed: ${outcome.error}`)
      }
    }
  }
  return outcomes
}

/**
 * Run one untimed command, failing like a scenario would.
 * @param {string} what
 * @param {Scenario} scenario
 * @param {Corpus} corpus
 * @param {string[]} [args]
 * @returns {Promise<Measured>}
 */
async function runUntimed(what, scenario, corpus, args = scenario.args(corpus)) {
  const measured = await measure(args, repoRoot)
  try {
    scenario.check(measured, corpus)
  } catch (error) {
    throw new Error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`)
  }
  progress(`  ${corpus.scale}× ${what} (untimed): ${formatMs(measured.ms)} ms`)
  return measured
}

/**
 * The corpus for `scale`: a copy of the reference folder at 1, else the
 * generated scale corpus.
 * @param {number} scale
 * @param {string} work
 * @returns {Promise<Corpus>}
 */
async function prepareCorpus(scale, work) {
  const folder = path.join(work, 'corpus')
  await mkdir(work, {recursive: true})
  if (scale === 1) await cp(referenceFolder, folder, {recursive: true})
  else await generateScaleCorpus(referenceFolder, folder, scale)
  const digest = await digestFolder(folder)
  const files = (await listMarkdown(folder)).length
  return {scale, folder, work, files, digest}
}

/**
 * Check (untimed) that remark-cli, with the flags of scenario 6, processes
 * every file and writes none back: it lists each file when not `--quiet`.
 * @param {Corpus} corpus
 * @returns {Promise<Note>}
 */
async function checkRemarkCli(corpus) {
  const run = await measure([remarkCli, corpus.folder, '--no-color', ...remarkArgs], repoRoot)
  if (run.code !== 0) return {ok: false, text: `remark-cli check: exit ${run.code}`}
  const reported = run.stderr.split('\n').filter((line) => /^\S.*\.md(?:: no issues found)?$/.test(line)).length
  const after = await digestFolder(corpus.folder)
  const unchanged = after.sha256 === corpus.digest.sha256
  const ok = reported === corpus.files && unchanged
  progress(`  ${corpus.scale}× remark-cli check (untimed): ${formatMs(run.ms)} ms, ${reported} files reported`)
  return {ok, text: `remark-cli (7) reported ${reported} of ${corpus.files} files; corpus ${unchanged ? 'unchanged' : 'CHANGED'} after it`}
}

/**
 * The include file scenario 6 changes: a role include (User Administrator when there is one).
 * @param {Corpus} corpus
 * @returns {Promise<{file: string, original: string}>}
 */
async function pickChangedFile(corpus) {
  const files = (await listMarkdown(corpus.folder)).filter((file) => file.split(path.sep).includes('includes'))
  const file = files.find((name) => path.basename(name) === 'user-administrator.md') ?? files[0]
  if (!file) throw new Error('no include file to change')
  return {file, original: await readFile(file, 'utf8')}
}

/**
 * Add `sentence` to the first prose paragraph after the front matter, so the
 * role's summary (and its record) changes and nothing new is reported.
 * @param {string} text
 * @param {string} sentence
 * @returns {string}
 */
export function addSentence(text, sentence) {
  const lines = text.split('\n')
  let start = 0
  if (lines[0]?.trim() === '---') start = lines.findIndex((line, index) => index > 0 && line.trim() === '---') + 1
  if (start === 0 && lines[0]?.trim() === '---') throw new Error('unterminated front matter')
  const index = lines.findIndex((line, i) => i >= start && /^[A-Za-z]/.test(line))
  if (index === -1) throw new Error('no prose paragraph to change')
  lines[index] = `${lines[index]} ${sentence}`
  return lines.join('\n')
}

/**
 * Compare output folders; one note per pair.
 * @param {Corpus} corpus
 * @param {ReadonlyArray<[string, string, string]>} pairs folder, folder, what the pair shows
 * @returns {Promise<Note[]>}
 */
async function compareOutputs(corpus, pairs) {
  /** @type {Note[]} */
  const notes = []
  for (const [a, b, what] of pairs) {
    const left = path.join(corpus.work, a)
    const right = path.join(corpus.work, b)
    if (!existsSync(left) || !existsSync(right)) {
      notes.push({ok: false, text: `${what}: not compared, ${existsSync(left) ? b : a} is missing`})
      continue
    }
    const result = await compareFolders(left, right)
    const differences = [...result.onlyA, ...result.onlyB, ...result.differ]
    notes.push(
      differences.length === 0
        ? {ok: true, text: `${what}: byte-identical (${result.files} files)`}
        : {ok: false, text: `${what}: ${differences.length} files differ (${differences.slice(0, 3).join(', ')}${differences.length > 3 ? ', …' : ''})`}
    )
  }
  return notes
}

/**
 * After scenario 6: the incremental output must equal a full build (no
 * cache) of the changed files, and differ from the unchanged build.
 * Restores the changed file.
 * @param {Corpus} corpus
 * @param {{file: string, original: string}} changed
 * @returns {Promise<Note[]>}
 */
async function checkIncremental(corpus, changed) {
  /** @type {Note[]} */
  const notes = []
  try {
    const scenario = /** @type {Scenario} */ (scenarios[1])
    await runUntimed('full build of the changed files', scenario, corpus, buildArgs(corpus, out.verify, ['--no-cache']))
    notes.push(...(await compareOutputs(corpus, [[out.cache, out.verify, 'one file changed: warm-cache rebuild (6) vs full build of the changed files']])))
    const changedFiles = await compareFolders(path.join(corpus.work, out.oneWorker), path.join(corpus.work, out.verify))
    const count = changedFiles.differ.length + changedFiles.onlyA.length + changedFiles.onlyB.length
    notes.push({ok: count > 0, text: `one file changed: the edit changed ${count} output files (${changedFiles.differ.slice(0, 3).join(', ')}${count > 3 ? ', …' : ''})`})
  } catch (error) {
    notes.push({ok: false, text: error instanceof Error ? error.message : String(error)})
  } finally {
    await writeFile(changed.file, changed.original)
  }
  return notes
}

/**
 * All scenarios on one corpus, in an order that keeps the files the same
 * for 1, 2, 3, 4, 7, 8 and 5 (6 changes one file last, and puts it back).
 * @param {number} scale
 * @param {number} runs
 * @param {string} temp
 * @returns {Promise<ScaleResult>}
 */
async function runScale(scale, runs, temp) {
  progress(`${scale}×: preparing the corpus`)
  const corpus = await prepareCorpus(scale, path.join(temp, `${scale}x`))
  progress(`${scale}×: ${corpus.files} Markdown files, ${formatBytes(corpus.digest.bytes)}; ${runs} run${runs === 1 ? '' : 's'} of each scenario`)
  /** @type {Map<number, Outcome>} */
  const outcomes = new Map()
  /** @type {Note[]} */
  const notes = []
  const byId = (/** @type {number} */ id) => /** @type {Scenario} */ (scenarios.find((scenario) => scenario.id === id))

  notes.push(await checkRemarkCli(corpus))
  for (const [id, outcome] of await runScenarios([1, 2, 3, 4, 7, 8].map(byId), corpus, runs)) outcomes.set(id, outcome)

  const warm = await warmCache(corpus, byId(5))
  if (warm) {
    outcomes.set(5, {runs: [], error: warm})
    outcomes.set(6, {runs: [], error: warm})
  } else {
    for (const [id, outcome] of await runScenarios([byId(5)], corpus, runs)) outcomes.set(id, outcome)
  }
  notes.push(
    ...(await compareOutputs(corpus, [
      [out.oneWorker, out.twoWorkers, 'determinism: 1 worker (2) vs 2 workers (3)'],
      [out.oneWorker, out.defaultWorkers, 'determinism: 1 worker (2) vs default workers (4)'],
      [out.oneWorker, out.coldCache, 'determinism: no cache (2) vs cold cache'],
      [out.oneWorker, out.cache, 'determinism: no cache (2) vs warm cache (5)']
    ]))
  )
  if (!warm) {
    const changed = await pickChangedFile(corpus)
    const relative = path.relative(corpus.folder, changed.file).split(path.sep).join('/')
    const edit = (/** @type {number} */ run) => writeFile(changed.file, addSentence(changed.original, sentences(run + 1)))
    for (const [id, outcome] of await runScenarios([byId(6)], corpus, runs, edit)) outcomes.set(id, outcome)
    notes.push({ok: null, text: `one file changed: scenario 6 edits \`${relative}\` before each run`})
    notes.push(...(await checkIncremental(corpus, changed)))
  }
  notes.push({ok: null, text: `load average after this corpus: ${loadAverage()}`})
  return {corpus, outcomes, notes}
}

/**
 * The sentences added by the first `count` runs of scenario 6 (each run adds one more).
 * @param {number} count
 * @returns {string}
 */
function sentences(count) {
  return Array.from({length: count}, (_, index) => `Benchmark edit ${index + 1}.`).join(' ')
}

/**
 * The untimed cold-cache build before scenario 5; keeps its output to
 * compare. Returns an error message, or null.
 * @param {Corpus} corpus
 * @param {Scenario} scenario
 * @returns {Promise<string | null>}
 */
async function warmCache(corpus, scenario) {
  try {
    await runUntimed('cold-cache build (warms the cache)', scenario, corpus)
    await cp(path.join(corpus.work, out.cache), path.join(corpus.work, out.coldCache), {recursive: true})
    return null
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

/**
 * The table for one corpus.
 * @param {ScaleResult} result
 * @param {number} runs
 * @returns {{table: string, passed: number, failed: number}}
 */
function scaleTable(result, runs) {
  const medians = new Map([...result.outcomes].filter(([, o]) => !o.error && o.runs.length > 0).map(([id, o]) => [id, median(o.runs.map((r) => r.ms))]))
  const baseline = medians.get(1) ?? Number.NaN
  const cold = medians.get(4) ?? Number.NaN
  let passed = 0
  let failed = 0
  const rows = scenarios.map((scenario) => {
    const outcome = result.outcomes.get(scenario.id) ?? {runs: [], error: 'not run'}
    const ms = medians.get(scenario.id) ?? Number.NaN
    const times = outcome.runs.map((r) => r.ms)
    const rss = peakRss(outcome)
    const cpu = median(outcome.runs.flatMap((run) => (run.cpuMs === null ? [] : [run.cpuMs])))
    const target = targets[scenario.id]
    const figures = {ms, vsBaseline: ms / baseline, vsCold: ms / cold, medians}
    let verdict = '–'
    if (outcome.error) verdict = 'error'
    else if (target) verdict = Number.isFinite(ms) && target.pass(figures) ? 'pass' : 'FAIL'
    if (verdict === 'pass') passed++
    if (verdict === 'FAIL' || verdict === 'error') failed++
    return [
      `${scenario.id}. ${scenario.name}`,
      formatMs(ms),
      formatCores(cpu / ms),
      times.length > 1 ? `${formatMs(Math.min(...times))}–${formatMs(Math.max(...times))}` : '',
      formatRatio(figures.vsBaseline),
      scenario.id === 5 || scenario.id === 6 ? formatRatio(figures.vsCold) : '',
      formatMiB(rss),
      target?.text ?? '',
      verdict
    ]
  })
  const {corpus} = result
  const title = `### ${corpus.scale}× — ${corpus.files.toLocaleString('en-US')} files, ${formatBytes(corpus.digest.bytes)}, corpus sha256 ${corpus.digest.sha256.slice(0, 12)} (median of ${runs} run${runs === 1 ? '' : 's'})`
  const table = markdownTable(
    ['scenario', 'median ms', 'CPU ÷ wall', 'range ms', '× baseline', '× cold build (4)', 'peak RSS MiB', 'target', 'result'],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left', 'left']
  )
  const errors = scenarios.flatMap((scenario) => {
    const error = result.outcomes.get(scenario.id)?.error
    return error ? [`- ✗ scenario ${scenario.id}: ${error}`] : []
  })
  const notes = result.notes.map((note) => `- ${note.ok === null ? '·' : note.ok ? '✓' : '✗'} ${note.text}`)
  return {table: [title, '', table, '', ...errors, ...notes].join('\n'), passed, failed}
}

/**
 * The highest peak RSS over a scenario's runs, in KiB.
 * @param {Outcome} outcome
 * @returns {number | null}
 */
function peakRss(outcome) {
  const values = outcome.runs.map((run) => run.rssKiB).filter((value) => value !== null)
  return values.length > 0 ? Math.max(...values) : null
}

/**
 * Peak RSS per scenario across scales, with the growth target.
 * @param {ReadonlyArray<ScaleResult>} results
 * @returns {{table: string, passed: number, failed: number}}
 */
function rssTable(results) {
  const scales = results.map((result) => result.corpus.scale)
  const from = scales.indexOf(rssGrowthTarget.from)
  const to = scales.indexOf(rssGrowthTarget.to)
  let passed = 0
  let failed = 0
  const rows = scenarios.map((scenario) => {
    const peaks = results.map((result) => peakRss(result.outcomes.get(scenario.id) ?? {runs: [], error: null}))
    const growth = peaks.slice(1).map((peak, index) => {
      const previous = peaks[index]
      return peak === null || previous === null || previous === undefined ? Number.NaN : peak / previous
    })
    const applies = rssGrowthTarget.scenarios.includes(scenario.id) && from !== -1 && to !== -1
    let verdict = '–'
    if (applies) {
      const ratio = Number(peaks[to]) / Number(peaks[from])
      verdict = peaks[to] !== null && peaks[from] !== null && ratio <= rssGrowthTarget.limit ? 'pass' : 'FAIL'
      if (verdict === 'pass') passed++
      else failed++
    }
    return [
      `${scenario.id}. ${scenario.name}`,
      ...peaks.map(formatMiB),
      growth.map(formatRatio).join(', '),
      applies ? `${rssGrowthTarget.to}× ≤ ${rssGrowthTarget.limit}× ${rssGrowthTarget.from}×` : '',
      verdict
    ]
  })
  const header = ['scenario', ...scales.map((scale) => `${scale}× MiB`), 'growth between scales', 'target', 'result']
  const note =
    from === -1 || to === -1
      ? `\n\n(The target, peak RSS at ${rssGrowthTarget.to}× ≤ ${rssGrowthTarget.limit}× that at ${rssGrowthTarget.from}×, needs both scales in --scale.)`
      : ''
  return {
    table: `### Peak RSS by scale\n\n${markdownTable(header, rows, ['left', ...scales.map(() => /** @type {'right'} */ ('right')), 'right', 'left', 'left'])}${note}`,
    passed,
    failed
  }
}

/**
 * The machine, Node, the commit and the exact command, so numbers can be quoted.
 * @param {readonly number[]} scales
 * @param {string} distDigest
 * @returns {string}
 */
function header(scales, distDigest) {
  const cpus = os.cpus()
  const args = process.argv.slice(2).map(shellQuote).join(' ')
  const script = path.relative(process.cwd(), process.argv[1] ?? 'test/bench/run.mjs')
  const viaNpm = process.env['npm_lifecycle_event'] === 'bench' ? ` (via \`npm run bench${args ? ` -- ${args}` : ''}\`)` : ''
  const placeholder = /** @type {Corpus} */ ({scale: 0, folder: '<corpus>', work: '<tmp>', files: 0, digest: {files: 0, bytes: 0, sha256: ''}})
  const lines = [
    '## roledoc benchmark',
    '',
    `- command: \`node ${[script, args].filter(Boolean).join(' ')}\`${viaNpm}, in ${process.cwd()}`,
    `- machine: ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), available parallelism ${os.availableParallelism()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()} ${os.arch()}`,
    `- node: ${process.version}`,
    `- roledoc: ${gitDescription()}; dist/ sha256 ${distDigest.slice(0, 12)} (copied to the temp folder at start and run from there)`,
    `- date: ${new Date().toISOString()}; load average at start ${loadAverage()} (other work on the machine skews the figures)`,
    `- corpus: ${path.relative(repoRoot, referenceFolder)} (scale 1: a copy of it; scale N: N renamed, varied copies, test/bench/scale.mjs); scales ${scales.join(', ')}`,
    ...(noFlags ? ['- **ROLEDOC_BENCH_NO_FLAGS=1: --workers, --cache-dir and --no-cache dropped; scenarios 2–5 are plain full builds**'] : []),
    '- each scenario: `node --import test/bench/rss.mjs <command>` in the repository, timed spawn to exit; peak RSS is the memory high-water mark of the process, `VmHWM` on Linux (highest over the runs); CPU ÷ wall is the median CPU time (user + system, all threads) over the median wall time: about how many cores were busy',
    ...scenarios.map((scenario) => `  ${scenario.id}. \`${scenario.args(placeholder).map((arg) => (arg === bin ? 'dist/bin.js' : shellQuote(arg))).join(' ')}\``),
    '  (1, 2, 3, 4, 7 and 8 run round-robin; then 5, after one untimed build that fills the cache; then 6, which adds a sentence to one include file before each run)',
    '- history (test/bench/history.mjs): `roledoc history <repo> --path docs/identity/role-based-access-control --format json --no-cache` on a generated repository (the reference folder, then commits that each add a paragraph to 1–3 includes), against `roledoc build --no-cache` of a folder holding each of its file versions once'
  ]
  return lines.join('\n')
}

/**
 * The 1, 5 and 15 minute load averages.
 * @returns {string}
 */
function loadAverage() {
  return os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ')
}

/**
 * The commit and whether src/ has uncommitted changes.
 * @returns {string}
 */
function gitDescription() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {cwd: repoRoot, encoding: 'utf8'}).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], {cwd: repoRoot, encoding: 'utf8'}).trim()
    return `commit ${commit}${dirty ? ' + uncommitted changes in src/' : ''}`
  } catch {
    return 'commit unknown'
  }
}

/**
 * Copy `dist/` and `package.json` into `<temp>/roledoc/`, with a link to the
 * repository's `node_modules`, and point `bin` at the copy. Modules resolve
 * as from the repository; the copy's `dist/bin.js` is what gets timed.
 * Returns a digest of the copied `dist/`.
 * @param {string} temp
 * @returns {Promise<string>}
 */
async function snapshotDist(temp) {
  const folder = path.join(temp, 'roledoc')
  await cp(path.join(repoRoot, 'dist'), path.join(folder, 'dist'), {recursive: true})
  await cp(path.join(repoRoot, 'package.json'), path.join(folder, 'package.json'))
  await symlink(path.join(repoRoot, 'node_modules'), path.join(folder, 'node_modules'), 'dir')
  bin = path.join(folder, 'dist', 'bin.js')
  return (await digestFolder(path.join(folder, 'dist'))).sha256
}

/**
 * Check that a generated 2× corpus builds cleanly before timing anything.
 * @param {string} temp
 */
async function preflight(temp) {
  const work = path.join(temp, 'preflight')
  const corpus = await prepareCorpus(2, work)
  const scenario = {...(/** @type {Scenario} */ (scenarios[1])), args: (/** @type {Corpus} */ c) => buildArgs(c, 'out', ['--no-cache'])}
  await runUntimed('preflight: build of a generated 2× corpus', scenario, corpus)
  await rm(work, {recursive: true, force: true})
}

/**
 * @returns {{scales: number[], runs: number | null, historyCommits: number, rssScales: [number, number], keep: boolean, help: boolean}}
 */
function options() {
  const {values} = parseArgs({
    options: {
      scale: {type: 'string', default: '1,10,100'},
      runs: {type: 'string'},
      'history-commits': {type: 'string', default: '1000'},
      'rss-scales': {type: 'string', default: '10,100'},
      keep: {type: 'boolean', default: false},
      help: {type: 'boolean', short: 'h', default: false}
    },
    strict: true
  })
  const historyCommits = Number(values['history-commits'])
  if (!Number.isInteger(historyCommits) || historyCommits < 0) throw new Error(`--history-commits takes a whole number, got ${values['history-commits']}`)
  const scales = String(values.scale)
    .split(',')
    .map((value) => Number(value.trim()))
  if (scales.some((scale) => !Number.isInteger(scale) || scale < 1)) throw new Error(`--scale takes positive integers, comma separated, got ${values.scale}`)
  const rssScales = String(values['rss-scales']).split(',').map(Number)
  if (rssScales.length !== 2 || rssScales.some((scale) => !Number.isInteger(scale) || scale < 1)) throw new Error(`--rss-scales takes two scales, FROM,TO, got ${values['rss-scales']}`)
  const runs = values.runs === undefined ? null : Number(values.runs)
  if (runs !== null && (!Number.isInteger(runs) || runs < 1)) throw new Error(`--runs takes a positive integer, got ${values.runs}`)
  return {scales, runs, historyCommits, rssScales: /** @type {[number, number]} */ (rssScales), keep: Boolean(values.keep), help: Boolean(values.help)}
}

const usage = `Usage: node test/bench/run.mjs [--scale 1,10,100] [--runs R] [--history-commits N] [--rss-scales 10,100] [--keep]

  --scale LIST  corpora to run: 1 is the real reference folder, N its N
                renamed copies (default 1,10,100)
  --runs R      runs per scenario, median reported (default 5; 1 at 100×+;
                3 for the history)
  --history-commits N  commits of the generated repository that roledoc
                history walks, after the scales (default 1000; 0 skips it;
                alone: node test/bench/history.mjs)
  --rss-scales FROM,TO  the scales whose peak RSS the growth target
                compares (default 10,100; 1,2 for a quick trial run)
  --keep        keep the temp folders (corpora, outputs, cache)

ROLEDOC_BENCH_NO_FLAGS=1 drops --workers, --cache-dir and --no-cache (for a
CLI without them). Build first (npm run bench does).`

async function main() {
  const settings = options()
  rssGrowthTarget.from = settings.rssScales[0]
  rssGrowthTarget.to = settings.rssScales[1]
  if (settings.help) {
    print(usage)
    return 0
  }
  if (!existsSync(bin)) throw new Error('dist/bin.js is missing; run `npm run build` first')
  const temp = await mkdtemp(path.join(os.tmpdir(), 'roledoc-bench-'))
  const cleanUp = () => {
    if (!settings.keep) rmSync(temp, {recursive: true, force: true})
  }
  process.once('SIGINT', () => {
    cleanUp()
    process.exit(130)
  })
  let failures = 0
  let passed = 0
  let missed = 0
  try {
    print(header(settings.scales, await snapshotDist(temp)))
    print('')
    await preflight(temp)
    /** @type {ScaleResult[]} */
    const results = []
    for (const scale of settings.scales) {
      const runs = settings.runs ?? (scale >= 100 ? 1 : 5)
      const result = await runScale(scale, runs, temp)
      results.push(result)
      const {table, passed: ok, failed} = scaleTable(result, runs)
      passed += ok
      missed += failed
      failures += result.notes.filter((note) => note.ok === false).length
      failures += [...result.outcomes.values()].filter((outcome) => outcome.error).length
      print(table)
      print('')
      if (!settings.keep) await rm(result.corpus.work, {recursive: true, force: true})
    }
    const rss = rssTable(results)
    passed += rss.passed
    missed += rss.failed
    print(rss.table)
    print('')
    if (settings.historyCommits > 0) {
      const work = path.join(temp, 'history')
      const result = await runHistoryBench({bin, work, commits: settings.historyCommits, runs: settings.runs ?? 3, progress})
      passed += result.passed
      missed += result.missed
      failures += result.failures
      print(result.table)
      print('')
      if (!settings.keep) await rm(work, {recursive: true, force: true})
    }
    print(`Targets met: ${passed} of ${passed + missed}. Checks failed: ${failures}. Load average at the end: ${loadAverage()}.${settings.keep ? ` Temp folders kept in ${temp}.` : ''}`)
  } finally {
    cleanUp()
  }
  return failures > 0 ? 1 : 0
}

try {
  process.exitCode = await main()
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 2
}
