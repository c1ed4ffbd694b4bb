/**
 * Loaded with `node --import` into a `roledoc` child by test/signals.test.ts,
 * so that the test knows where the child is when it sends a signal. It
 * changes nothing in roledoc's code; it only watches and, when asked,
 * pauses:
 *
 * - `hook: listening for SIGINT` (and SIGTERM) on stderr when the process
 *   sets a handler for that signal;
 * - `hook: compile worker started` on stderr when a worker thread starts
 *   (this file is loaded into workers too), and `hook: compile worker
 *   answered a file` each time it posts the result of a file;
 * - with ROLEDOC_HOOK_GO set to a path: at the first file opened in a
 *   temporary output folder (`*.roledoc-tmp-*`), `hook: writing` on
 *   stderr, then the write waits, blocked, until a file exists at that path.
 */
import fs, {existsSync, writeSync} from 'node:fs'
import {syncBuiltinESMExports} from 'node:module'
import process from 'node:process'
import {isMainThread, parentPort} from 'node:worker_threads'

const say = (text) => writeSync(2, `hook: ${text}\n`)

if (!isMainThread) {
  say('compile worker started')
  const port = parentPort
  if (port) {
    const postMessage = port.postMessage
    port.postMessage = function (value, ...rest) {
      if (value?.type === 'done') say('compile worker answered a file')
      return postMessage.call(this, value, ...rest)
    }
  }
} else {
  for (const method of ['on', 'once']) {
    const original = process[method]
    process[method] = function (event, listener) {
      if (event === 'SIGINT' || event === 'SIGTERM') say(`listening for ${event}`)
      return original.call(this, event, listener)
    }
  }

  const go = process.env.ROLEDOC_HOOK_GO
  if (go) {
    const openSync = fs.openSync
    let paused = false
    fs.openSync = function (file, ...rest) {
      if (!paused && String(file).includes('.roledoc-tmp-')) {
        paused = true
        say('writing')
        const clock = new Int32Array(new SharedArrayBuffer(4))
        while (!existsSync(go)) Atomics.wait(clock, 0, 0, 10)
      }
      return openSync.call(this, file, ...rest)
    }
    // `import {openSync} from 'node:fs'` in roledoc's code sees the change.
    syncBuiltinESMExports()
  }
}
