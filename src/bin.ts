#!/usr/bin/env node
import process from 'node:process'
import {main} from './cli.js'

// Ctrl-C ends `--watch` cleanly; other runs keep Node's default (exit).
const stop = new AbortController()
if (process.argv.includes('--watch') || process.argv.includes('-w')) {
  process.once('SIGINT', () => stop.abort())
  process.once('SIGTERM', () => stop.abort())
}

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  stderrIsTTY: process.stderr.isTTY === true,
  signal: stop.signal
})
