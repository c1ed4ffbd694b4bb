// @ts-check
/**
 * Run one Node program as a child process and measure it: wall time from
 * spawn to exit (`performance.now()` in this process), and peak RSS from the
 * `rss.mjs` preload (the process's memory high-water mark at exit: `VmHWM` on Linux).
 */
import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {readFile, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import process from 'node:process'
import {fileURLToPath} from 'node:url'

const rssPreload = fileURLToPath(new URL('rss.mjs', import.meta.url))

/** A run that takes longer than this is killed and reported as failed. */
const runTimeout = 30 * 60 * 1000

/**
 * @typedef {object} Measured
 * @property {number} ms wall time, spawn to exit
 * @property {number | null} rssKiB peak RSS in KiB (summed over Node processes, when the program starts more than one); null when not recorded
 * @property {number | null} cpuMs CPU time (user + system, all threads, summed over Node processes); null when not recorded
 * @property {number} processes how many Node processes reported a peak RSS
 * @property {number | null} code exit code
 * @property {NodeJS.Signals | null} signal
 * @property {string} stdout
 * @property {string} stderr
 */

/**
 * Run `node --import rss.mjs ...args` in `cwd` and measure it.
 * @param {readonly string[]} args the program and its arguments
 * @param {string} cwd
 * @returns {Promise<Measured>}
 */
export async function measure(args, cwd) {
  const rssFile = path.join(os.tmpdir(), `roledoc-bench-rss-${process.pid}-${randomBytes(6).toString('hex')}.jsonl`)
  const env = childEnv(rssFile)
  const started = performance.now()
  const child = spawn(process.execPath, ['--import', rssPreload, ...args], {cwd, env, stdio: ['ignore', 'pipe', 'pipe']})
  const timer = setTimeout(() => child.kill('SIGKILL'), runTimeout)
  const stdout = collect(child.stdout)
  const stderr = collect(child.stderr)
  /** @type {{code: number | null, signal: NodeJS.Signals | null, ms: number}} */
  const exit = await new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code, signal) => resolve({code, signal, ms: performance.now() - started}))
  })
  clearTimeout(timer)
  const rss = await readRss(rssFile)
  return {...exit, ...rss, stdout: await stdout, stderr: await stderr}
}

/**
 * The child's environment: this one's, without a `NODE_OPTIONS` that would
 * change what is measured, with the RSS file, no colour and no progress bar.
 * @param {string} rssFile
 * @returns {NodeJS.ProcessEnv}
 */
function childEnv(rssFile) {
  /** @type {NodeJS.ProcessEnv} */
  const env = {...process.env, ROLEDOC_BENCH_RSS_FILE: rssFile, NO_COLOR: '1', CI: '1'}
  delete env['NODE_OPTIONS']
  delete env['FORCE_COLOR']
  return env
}

/**
 * @param {NodeJS.ReadableStream} stream
 * @returns {Promise<string>}
 */
async function collect(stream) {
  /** @type {Buffer[]} */
  const chunks = []
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * Sum the lines the preload wrote (one per Node process), then remove the
 * file. Summed peaks are an upper bound of the peak of the whole process
 * tree (exact when there is one process).
 * @param {string} file
 * @returns {Promise<{rssKiB: number | null, cpuMs: number | null, processes: number}>}
 */
async function readRss(file) {
  const text = await readFile(file, 'utf8').catch(() => '')
  await rm(file, {force: true})
  const records = text
    .split('\n')
    .filter(Boolean)
    .map((line) => /** @type {{maxRSS: number, cpuUs: number}} */ (JSON.parse(line)))
  if (records.length === 0) return {rssKiB: null, cpuMs: null, processes: 0}
  const rssKiB = records.reduce((sum, record) => sum + record.maxRSS, 0)
  const cpuMs = records.reduce((sum, record) => sum + record.cpuUs, 0) / 1000
  return {rssKiB, cpuMs, processes: records.length}
}

/**
 * The median of `values` (mean of the two middle ones for an even count).
 * @param {readonly number[]} values
 * @returns {number}
 */
export function median(values) {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? /** @type {number} */ (sorted[middle]) : (/** @type {number} */ (sorted[middle - 1]) + /** @type {number} */ (sorted[middle])) / 2
}
