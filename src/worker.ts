/**
 * A compile worker thread (see `driver/threads.ts`): it says when it is
 * ready, then compiles the files it is sent one at a time, in the order
 * they come, and answers each with its result as plain data (see
 * serialize.ts).
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

/** What a worker posts: once `ready`, then a `done` for each task, in order. */
export type WorkerReply = {type: 'ready'} | {type: 'done'; result: SerializedCompiled}

export function compileTask(task: CompileTask): SerializedCompiled {
  return serializeCompiled(compileFile(new VFile({path: task.display, value: task.bytes}), {sourcePath: task.sourcePath, maxFileSize: task.maxFileSize}))
}

const port = parentPort
if (port) {
  port.on('message', (task: CompileTask) => {
    const reply: WorkerReply = {type: 'done', result: compileTask(task)}
    port.postMessage(reply)
  })
  const ready: WorkerReply = {type: 'ready'}
  port.postMessage(ready)
}
