/**
 * The worker thread's task: compile a batch of files given as bytes, and
 * return them as plain data (see serialize.ts).
 */
import {VFile} from 'vfile'
import {compileFile} from './compile.js'
import {serializeCompiled, type SerializedCompiled} from './serialize.js'

export interface CompileTask {
  display: string
  sourcePath: string
  bytes: Uint8Array
  maxFileSize: number
}

export default function compileBatch(tasks: readonly CompileTask[]): SerializedCompiled[] {
  return tasks.map((task) =>
    serializeCompiled(
      compileFile(new VFile({path: task.display, value: task.bytes}), {sourcePath: task.sourcePath, maxFileSize: task.maxFileSize})
    )
  )
}
