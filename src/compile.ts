/**
 * One file, from bytes or text to a record and its messages. Pure: no file
 * system, no process; the driver does the I/O.
 *
 * - `compileRole` compiles a file known to be a role include.
 * - `compileFile` first tells what the file is (role, fragment or reference
 *   page) from its structure, as `roledoc build` does.
 */
import {createHash} from 'node:crypto'
import type {Root} from 'mdast'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {extractDocument, extractRoleDocument, type RawDocument} from './extract/index.js'
import {report} from './messages.js'
import {normalizeFragment, normalizeReference, normalizeRole} from './normalize.js'
import {parse} from './parse.js'
import type {DatasetRecord, ReferencePage, RoleRecord, SourceInfo} from './types.js'

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

export interface CompiledFile {
  /** `skipped` when the file could not be read as text. */
  kind: 'role' | 'fragment' | 'reference' | 'skipped'
  /** The role or fragment record; `null` for a reference page or an unreadable file. */
  record: DatasetRecord | null
  /** What a reference page holds; `null` for other files. */
  reference: ReferencePage | null
  messages: VFileMessage[]
  file: VFile
}

const emptyOptions: CompileOptions = {}

/**
 * Compile one role include. `input` is the Markdown text, or a VFile whose
 * value is text or the file's bytes (hashed as given, decoded as UTF-8).
 */
export function compileRole(input: string | VFile, options?: CompileOptions | null): CompileResult {
  const compiled = compileWith(input, options ?? emptyOptions, extractRoleDocument)
  const record = compiled.record?.kind === 'role' ? compiled.record : null
  return {record, messages: compiled.messages, file: compiled.file}
}

/** Compile one file of any kind, telling its kind from its structure. */
export function compileFile(input: string | VFile, options?: CompileOptions | null): CompiledFile {
  return compileWith(input, options ?? emptyOptions, extractDocument)
}

function compileWith(
  input: string | VFile,
  settings: CompileOptions,
  extract: typeof extractDocument
): CompiledFile {
  const file = typeof input === 'string' ? new VFile({value: input}) : input
  const bytes = typeof file.value === 'string' ? new TextEncoder().encode(file.value) : file.value
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const id = settings.id ?? (file.stem || 'untitled')
  const source: SourceInfo = {
    path: settings.sourcePath ?? (file.path ? file.path.split('\\').join('/') : `${id}.md`),
    sha256
  }

  if (typeof file.value !== 'string') {
    const text = decodeUtf8(file.value)
    if (text === null) {
      report(
        file,
        'invalid-encoding',
        `Expected UTF-8 text, found invalid bytes at byte offset ${invalidUtf8Offset(bytes)}; save the file as UTF-8`,
        {line: 1, column: 1}
      )
      return {kind: 'skipped', record: null, reference: null, messages: sortedMessages(file), file}
    }
    file.value = text
  }

  const compiled = compileTree(parse(file), file, {kind: extract === extractDocument ? 'any' : 'role', id, source})
  return {...compiled, messages: sortedMessages(file), file}
}

export interface CompileTreeOptions {
  /** `role` to compile the tree as a role include; `any` to tell its kind from its structure. */
  kind: 'role' | 'any'
  id: string
  source: SourceInfo
}

/**
 * Extract and normalize an mdast tree that was parsed with remark-parse,
 * remark-frontmatter and remark-gfm (as `parse` does, or any unified
 * pipeline with those plugins), reporting on `file`.
 */
export function compileTree(
  tree: Root,
  file: VFile,
  options: CompileTreeOptions
): Pick<CompiledFile, 'kind' | 'record' | 'reference'> {
  const raw = options.kind === 'role' ? extractRoleDocument(tree, file) : extractDocument(tree, file)
  return normalizeDocument(raw, file, options.id, options.source)
}

function normalizeDocument(
  raw: RawDocument,
  file: VFile,
  id: string,
  source: SourceInfo
): Pick<CompiledFile, 'kind' | 'record' | 'reference'> {
  if (raw.kind === 'reference' && raw.reference) {
    return {kind: 'reference', record: null, reference: normalizeReference(raw.reference, file, {id, source})}
  }
  if (!raw.role) return {kind: raw.kind, record: null, reference: null}
  if (raw.kind === 'fragment') {
    return {kind: 'fragment', record: normalizeFragment(raw.role, raw.frontMatter, file, {id, source}), reference: null}
  }
  const recoverable = raw.frontMatter !== null || raw.role.permissions !== null
  const record = normalizeRole(raw.role, raw.frontMatter, file, {id, source})
  return {kind: 'role', record: recoverable ? record : null, reference: null}
}

function sortedMessages(file: VFile): VFileMessage[] {
  return [...file.messages].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)
  )
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', {fatal: true}).decode(bytes)
  } catch {
    return null
  }
}

/** Byte offset of the first byte that makes `bytes` invalid UTF-8. */
function invalidUtf8Offset(bytes: Uint8Array): number {
  // The longest prefix that decodes as a stream (an unfinished character at
  // its end is allowed); the byte after it is the first bad one.
  let low = 0
  let high = bytes.length
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
