#!/usr/bin/env node
import process from 'node:process'
import {main} from './cli.js'

// Ctrl-C (or SIGTERM) aborts: `--watch` stops cleanly, and a build stops
// before it writes, leaving the output folder and no temporary files.
const stop = new AbortController()
process.once('SIGINT', () => stop.abort())
process.once('SIGTERM', () => stop.abort())

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  stderrIsTTY: process.stderr.isTTY === true,
  signal: stop.signal
})
