#!/usr/bin/env node
import process from 'node:process'
import {Interrupted, main} from './cli/index.js'

// SIGINT (Ctrl-C) or SIGTERM stops the run: a build stops compiling or
// writing within moments, leaves the output folder as it was and no
// temporary files, and exits 130 or 143; `--watch` stops watching. Later
// signals change nothing while it stops.
const stop = new AbortController()
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (!stop.signal.aborted) stop.abort(new Interrupted(signal))
  })
}

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  stderrIsTTY: process.stderr.isTTY === true,
  signal: stop.signal
})
