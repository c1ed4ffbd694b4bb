/**
 * What the API's readers take: text, bytes or a VFile, and that input as a
 * VFile. Apart from `compile.ts` so that the Graph export reader, which
 * every `diff` and `drift` run loads, does not bring in the Markdown parser.
 */
import {VFile} from 'vfile'

/**
 * What `compileRole`, `compileFile` and `parseGraphExport` take: the text,
 * the file's bytes (a `Buffer` from `readFile` is one; decoded as UTF-8),
 * or a VFile whose value is either (for unified users).
 */
export type CompileInput = string | Uint8Array | VFile

/** `input` as a VFile: a VFile as it is, text or bytes in a new one named `path`. */
export function toFile(input: CompileInput, path: string | undefined): VFile {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) return input
  return new VFile(path === undefined ? {value: input} : {path, value: input})
}
