/**
 * `compileRole`: one role include, from bytes or text to a record and its
 * messages. Pure: no file system, no process; the driver does the I/O.
 */
import {createHash} from 'node:crypto'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {extractRole} from './extract/index.js'
import {report} from './messages.js'
import {normalizeRole} from './normalize.js'
import {parse} from './parse.js'
import type {RoleRecord} from './types.js'

export interface CompileOptions {
  /**
   * Posix path of the file relative to the input root, written to
   * `source.path`. Default: the VFile's `path` (made posix), else `<id>.md`.
   */
  sourcePath?: string
  /** Record id. Default: the file name without `.md` (`file.stem`), else `untitled`. */
  id?: string
}

export interface CompileResult {
  /** The record, or `null` when nothing could be recovered. */
  record: RoleRecord | null
  /** Every message, in source order. */
  messages: VFileMessage[]
  /** The file the messages are attached to. */
  file: VFile
}

const emptyOptions: CompileOptions = {}
const decoder = new TextDecoder('utf-8', {fatal: true, ignoreBOM: false})

/**
 * Compile one role include. `input` is the Markdown text, or a VFile whose
 * value is text or the file's bytes (hashed as given, decoded as UTF-8).
 */
export function compileRole(input: string | VFile, options?: CompileOptions | null): CompileResult {
  const settings = options ?? emptyOptions
  const file = typeof input === 'string' ? new VFile({value: input}) : input
  const bytes = typeof file.value === 'string' ? new TextEncoder().encode(file.value) : file.value
  const sha256 = createHash('sha256').update(bytes).digest('hex')

  if (typeof file.value !== 'string') {
    try {
      file.value = decoder.decode(file.value)
    } catch {
      report(
        file,
        'invalid-encoding',
        `Expected UTF-8 text, found invalid bytes at byte offset ${invalidUtf8Offset(bytes)}; save the file as UTF-8`,
        {line: 1, column: 1}
      )
      return {record: null, messages: sortedMessages(file), file}
    }
  }

  const id = settings.id ?? (file.stem || 'untitled')
  const sourcePath = settings.sourcePath ?? (file.path ? file.path.split('\\').join('/') : `${id}.md`)
  const tree = parse(file)
  const raw = extractRole(tree, file)
  const record = raw.frontMatter === null && raw.permissions === null
    ? null
    : normalizeRole(raw, file, {id, source: {path: sourcePath, sha256}})
  return {record, messages: sortedMessages(file), file}
}

function sortedMessages(file: VFile): VFileMessage[] {
  return [...file.messages].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)
  )
}

/** Byte offset of the first byte that makes `bytes` invalid UTF-8. */
function invalidUtf8Offset(bytes: Uint8Array): number {
  let low = 0
  let high = bytes.length
  // The longest prefix that decodes as a stream (an unfinished character at
  // its end is allowed); the byte after it is the first bad one.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (decodes(bytes.subarray(0, middle))) low = middle
    else high = middle - 1
  }
  return low
}

function decodes(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', {fatal: true}).decode(bytes, {stream: true})
    return true
  } catch {
    return false
  }
}
