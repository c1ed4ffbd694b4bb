// @ts-check
/**
 * Preload that records a process's peak resident set size, for any Node
 * program:
 *
 *   ROLEDOC_BENCH_RSS_FILE=/tmp/rss.jsonl node --import ./test/bench/rss.mjs <program> ...
 *
 * On exit, the main thread appends one JSON line to that file:
 * `{"pid": …, "ppid": …, "maxRSS": <KiB>, "cpuUs": <µs>}`: `maxRSS` is the
 * kernel's high-water mark of the process's memory (worker threads
 * included), on Linux `VmHWM` of `/proc/self/status`, else
 * `process.resourceUsage().maxRSS`; `cpuUs` is the user plus system CPU time
 * of all its threads. Not `maxRSS` on Linux: there a process keeps the
 * high-water mark of the one it was forked from across `exec`, so every
 * command the bench runner started reported at least the runner's own size
 * (all four history rows read 212.4 MiB in one run; a child of a 442 MiB
 * Node process that itself peaked at 39 MiB reported 404 MiB). It also puts itself into `NODE_OPTIONS`, so Node child
 * processes (a `child_process` worker pool, say) append their own line; the
 * reader adds them up. Does nothing when the variable is unset. Never throws:
 * a benchmark probe must not change the program's exit code.
 */
import {appendFileSync, readFileSync} from 'node:fs'
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
    const line = JSON.stringify({pid: process.pid, ppid: process.ppid, maxRSS: highWaterKiB() ?? usage.maxRSS, cpuUs: usage.userCPUTime + usage.systemCPUTime})
    appendFileSync(target, `${line}\n`)
  } catch {
    // Nothing to do: the benchmark reports the figure as missing.
  }
}

/**
 * The peak resident set size of this process's own memory, in KiB, from
 * `VmHWM` in `/proc/self/status` (Linux); `null` where there is none.
 * @returns {number | null}
 */
function highWaterKiB() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))
    return match ? Number(match[1]) : null
  } catch {
    return null
  }
}
