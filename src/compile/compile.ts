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
import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {extractDocument, extractRoleDocument, type RawDocument} from './extract/index.js'
import {decodeText, invalidUtf8Offset, utf16Layout} from './encoding.js'
import {defaultMaxFileSize} from './limits.js'
import {toFile, type CompileInput} from './input.js'
import {report} from './messages.js'
import {normalizeFragment, normalizeReference, normalizeRole, safeId} from './normalize.js'
import {parse} from './parse.js'
import type {DatasetRecord, FileKind, FragmentRecord, ReferencePage, RoleRecord, SourceInfo} from '../types.js'

export interface CompileOptions {
  /**
   * The file's path, when `input` is its text or its bytes (a VFile has its
   * own): messages name it, and it gives the defaults of `sourcePath` and
   * `id`. Default: none (messages name no file).
   */
  path?: string
  /**
   * Posix path of the file relative to the input root, written to
   * `source.path`. Default: the file's path (made posix), else `<id>.md`.
   */
  sourcePath?: string
  /** Record id. Default: the file name without `.md` (`file.stem`), else `untitled`; made safe as a file name. */
  id?: string
  /** Files larger than this many bytes are skipped (`file-too-large`). Default: 1 MiB. */
  maxFileSize?: number
}

export type {CompileInput} from './input.js'

export {defaultMaxFileSize} from './limits.js'

/** Blockquote and list nesting allowed before a file is skipped (`nesting-too-deep`). */
export const maxNesting = 100

/** A role include, compiled: its record. */
export interface CompiledRole {
  kind: 'role'
  record: RoleRecord
  reference: null
}

/** A file that is not a role (no permissions table, no marker), compiled: its record. */
export interface CompiledFragment {
  kind: 'fragment'
  record: FragmentRecord
  reference: null
}

/** A reference page, compiled: what it holds (its roles become records when `assemble` joins it with its includes). */
export interface CompiledReference {
  kind: 'reference'
  record: null
  reference: ReferencePage
}

/** A file of which nothing could be recovered (not UTF-8, too large, too deep, unparseable, or a role with neither front matter nor permissions table): the messages say why. */
export interface CompiledSkipped {
  kind: 'skipped'
  record: null
  reference: null
}

/**
 * What a file compiles to, told apart by `kind`: `if (result.kind ===
 * 'role')` narrows `record` to a `RoleRecord`. What the plugin puts on
 * `file.data.roledoc`.
 */
export type CompiledContent = CompiledRole | CompiledFragment | CompiledReference | CompiledSkipped

/** The messages of a compiled file, and the file they are attached to. */
export interface CompiledMessages {
  /** Every message, in source order. */
  messages: VFileMessage[]
  /** The file the messages are attached to. */
  file: VFile
}

/** What `compileFile` returns: the file's content by its kind, and its messages. */
export type CompiledFile = CompiledContent & CompiledMessages

/** What `compileRole` returns: the role, or (`kind: 'skipped'`, `record: null`) nothing that could be recovered; and the messages. */
export type CompileResult = (CompiledRole | CompiledSkipped) & CompiledMessages

/**
 * A compiled file as the build driver and `assemble` pass it around: its
 * kind not tied to its record's type (entries read back from the cache are
 * checked at run time). Every `CompiledFile` is one.
 */
export interface LooseCompiledFile extends CompiledMessages {
  kind: FileKind
  record: DatasetRecord | null
  reference: ReferencePage | null
}

const emptyOptions: CompileOptions = {}

/**
 * Compile one role include. `input` is the Markdown text, the file's bytes
 * (hashed as given, decoded as UTF-8), or a VFile whose value is either;
 * `options.path` names a file given as text or bytes.
 */
export function compileRole(input: CompileInput, options?: CompileOptions | null): CompileResult {
  const compiled = compileWith(input, options ?? emptyOptions, 'role')
  // Compiled as a role, a file is a role or skipped.
  return compiled.kind === 'role' ? compiled : {kind: 'skipped', record: null, reference: null, messages: compiled.messages, file: compiled.file}
}

/** Compile one file of any kind, telling its kind from its structure. */
export function compileFile(input: CompileInput, options?: CompileOptions | null): CompiledFile {
  return compileWith(input, options ?? emptyOptions, 'any')
}

function compileWith(
  input: CompileInput,
  settings: CompileOptions,
  kind: CompileTreeOptions['kind']
): CompiledFile {
  const file = toFile(input, settings.path)
  const bytes = typeof file.value === 'string' ? new TextEncoder().encode(file.value) : file.value
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const id = safeId(settings.id ?? (file.stem || 'untitled'), file)
  const source: SourceInfo = {
    path: settings.sourcePath ?? (file.path ? file.path.split('\\').join('/') : `${id}.md`),
    sha256
  }

  const skipped: CompiledSkipped = {kind: 'skipped', record: null, reference: null}
  const maxFileSize = settings.maxFileSize ?? defaultMaxFileSize
  if (bytes.length > maxFileSize) {
    report(
      file,
      'file-too-large',
      `The file has ${bytes.length} bytes, more than the limit of ${maxFileSize}; it is skipped. Split it, or raise --max-file-size`,
      {line: 1, column: 1},
      {actual: String(bytes.length), expected: [`at most ${maxFileSize}`]}
    )
    return {...skipped, messages: sortedMessages(file), file}
  }

  if (typeof file.value !== 'string') {
    const utf16 = utf16Layout(file.value)
    if (utf16 !== null) {
      report(
        file,
        'invalid-encoding',
        `Expected UTF-8 text, found UTF-16 (${utf16.order}, ${utf16.bom ? 'with' : 'without'} a byte order mark); re-save the file as UTF-8`,
        {line: 1, column: 1},
        {actual: `UTF-16${utf16.order === 'little-endian' ? 'LE' : 'BE'}`, expected: ['UTF-8']}
      )
      return {...skipped, messages: sortedMessages(file), file}
    }
    const text = decodeText(file.value)
    if (text === null) {
      report(
        file,
        'invalid-encoding',
        `Expected UTF-8 text, found invalid bytes at byte offset ${invalidUtf8Offset(bytes)}; save the file as UTF-8`,
        {line: 1, column: 1}
      )
      return {...skipped, messages: sortedMessages(file), file}
    }
    file.value = text
  }

  const deep = deepestLine(file.value)
  if (deep.depth > maxNesting) {
    report(
      file,
      'nesting-too-deep',
      `Blockquotes or lists nest ${deep.depth} levels deep here, more than ${maxNesting}; the file is skipped. Flatten the nesting`,
      {line: deep.line, column: 1}
    )
    return {...skipped, messages: sortedMessages(file), file}
  }

  try {
    const compiled = compileTree(parse(file), file, {kind, id, source})
    return {...compiled, messages: sortedMessages(file), file}
  } catch (error) {
    // A guard, not a path: input that gets here is a bug to fix, but it must
    // never end the run with a stack trace.
    file.messages.length = 0
    report(
      file,
      'unparseable',
      `Could not read the Markdown (${error instanceof Error ? error.message : String(error)}); the file is skipped. Please report this file to roledoc`,
      {line: 1, column: 1}
    )
    return {...skipped, messages: sortedMessages(file), file}
  }
}

/**
 * The line whose container prefix (`>` quotes, list markers, indentation)
 * nests deepest, as a cheap guard before parsing: the parser and mdast
 * utilities recurse per level.
 */
export function deepestLine(text: string): {line: number; depth: number} {
  let deepest = {line: 1, depth: 0}
  let line = 1
  let start = 0
  while (start <= text.length) {
    let end = text.indexOf('\n', start)
    if (end === -1) end = text.length
    const depth = prefixDepth(text, start, end)
    if (depth > deepest.depth) deepest = {line, depth}
    start = end + 1
    line++
  }
  return deepest
}

/** Container levels opened at the start of one line: `>`s, list markers, and the indentation before a marker. */
function prefixDepth(text: string, start: number, end: number): number {
  let depth = 0
  let indent = 0
  let index = start
  while (index < end) {
    const code = text.charCodeAt(index)
    const next = text.charCodeAt(index + 1)
    const spaceNext = next === 32 || next === 9 || index + 1 >= end
    if (code === 32) indent++
    else if (code === 9) indent += 4
    else if (code === 62 /* > */) depth++
    else if ((code === 45 || code === 42 || code === 43) /* - * + */ && spaceNext) depth += 1 + Math.floor(indent / 2)
    else if (code >= 48 && code <= 57) {
      let digits = index
      while (digits < end && text.charCodeAt(digits) >= 48 && text.charCodeAt(digits) <= 57) digits++
      const after = text.charCodeAt(digits)
      const gap = text.charCodeAt(digits + 1)
      if (!((after === 46 || after === 41) && (gap === 32 || gap === 9 || digits + 1 >= end))) break
      depth += 1 + Math.floor(indent / 2)
      index = digits
    } else break
    if (code !== 32 && code !== 9) indent = 0
    index++
  }
  return depth
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
export function compileTree(tree: Root, file: VFile, options: CompileTreeOptions): CompiledContent {
  const raw = options.kind === 'role' ? extractRoleDocument(tree, file) : extractDocument(tree, file)
  return normalizeDocument(raw, file, options.id, options.source)
}

function normalizeDocument(raw: RawDocument, file: VFile, id: string, source: SourceInfo): CompiledContent {
  if (raw.kind === 'reference' && raw.reference) {
    return {kind: 'reference', record: null, reference: normalizeReference(raw.reference, file, {id, source})}
  }
  if (!raw.role) return {kind: 'skipped', record: null, reference: null}
  if (raw.kind === 'fragment') {
    return {kind: 'fragment', record: normalizeFragment(raw.role, raw.frontMatter, file, {id, source}), reference: null}
  }
  const recoverable = raw.frontMatter !== null || raw.role.permissions !== null
  const record = normalizeRole(raw.role, raw.frontMatter, file, {id, source})
  return recoverable ? {kind: 'role', record, reference: null} : {kind: 'skipped', record: null, reference: null}
}

function sortedMessages(file: VFile): VFileMessage[] {
  return [...file.messages].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)
  )
}
