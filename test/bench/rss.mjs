// @ts-check
/**
 * Preload that records a process's peak resident set size, for any Node
 * program:
 *
 *   ROLEDOC_BENCH_RSS_FILE=/tmp/rss.jsonl node --import ./test/bench/rss.mjs <program> ...
 *
 * On exit, the main thread appends one JSON line to that file:
 * `{"pid": …, "ppid": …, "maxRSS": <KiB>, "cpuUs": <µs>}`: from
 * `process.resourceUsage()`, `maxRSS` is the kernel's high-water mark for the
 * whole process (worker threads included) and `cpuUs` the user plus system
 * CPU time of all its threads. It also puts itself into `NODE_OPTIONS`, so Node child
 * processes (a `child_process` worker pool, say) append their own line; the
 * reader adds them up. Does nothing when the variable is unset. Never throws:
 * a benchmark probe must not change the program's exit code.
 */
import {appendFileSync} from 'node:fs'
import process from 'node:process'
import {isMainThread} from 'node:worker_threads'

const file = process.env['ROLEDOC_BENCH_RSS_FILE']
const loaded = Symbol.for('roledoc.bench.rss')

if (file && isMainThread && !(/** @type {Record<symbol, unknown>} */ (globalThis))[loaded]) {
  ;(/** @type {Record<symbol, unknown>} */ (globalThis))[loaded] = true
  inheritPreload()
  process.on('exit', () => record(file))
}

/** Make Node processes started by this one load this preload too. */
function inheritPreload() {
  const flag = `--import=${import.meta.url}`
  const options = process.env['NODE_OPTIONS'] ?? ''
  if (!options.includes(flag)) process.env['NODE_OPTIONS'] = options ? `${options} ${flag}` : flag
}

/**
 * Append this process's peak RSS to `target`.
 * @param {string} target
 */
function record(target) {
  try {
    const usage = process.resourceUsage()
    const line = JSON.stringify({pid: process.pid, ppid: process.ppid, maxRSS: usage.maxRSS, cpuUs: usage.userCPUTime + usage.systemCPUTime})
    appendFileSync(target, `${line}\n`)
  } catch {
    // Nothing to do: the benchmark reports the figure as missing.
  }
}
