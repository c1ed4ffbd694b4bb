/**
 * A compile worker thread (see `driver/threads.ts`): it says when it is
 * ready, then compiles the files it is sent one at a time, in the order
 * they come, and answers each with its result as plain data (see
 * serialize.ts) in JSON text.
 */
import {parentPort} from 'node:worker_threads'
import {VFile} from 'vfile'
import {compileFile} from './compile/compile.js'
import {serializeCompiled, type SerializedCompiled} from './driver/serialize.js'

export interface CompileTask {
  display: string
  sourcePath: string
  bytes: Uint8Array
  maxFileSize: number
}

/**
 * What a worker posts: once `ready`, then a `done` for each task, in order,
 * with the task's `SerializedCompiled` as JSON text. One string crosses to
 * the main thread as a copy of its bytes, where an object is cloned a
 * property at a time, which took the compile thread far longer than making
 * the text (`test/bench/HISTORY.md`); the main thread, mostly idle, parses it.
 */
export type WorkerReply = {type: 'ready'} | {type: 'done'; json: string}

export function compileTask(task: CompileTask): SerializedCompiled {
  return serializeCompiled(compileFile(new VFile({path: task.display, value: task.bytes}), {sourcePath: task.sourcePath, maxFileSize: task.maxFileSize}))
}

const port = parentPort
if (port) {
  port.on('message', (task: CompileTask) => {
    const reply: WorkerReply = {type: 'done', json: JSON.stringify(compileTask(task))}
    port.postMessage(reply)
  })
  const ready: WorkerReply = {type: 'ready'}
  port.postMessage(ready)
}
