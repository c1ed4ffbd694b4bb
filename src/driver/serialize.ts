/**
 * A compiled file as plain data, to cross a worker thread or sit in the
 * cache, and back: the record or reference page as they are, the messages
 * as their fields, attached again to a new VFile for the same path.
 */
import type {Point, Position} from 'unist'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import type {LooseCompiledFile} from '../compile/compile.js'
import type {RuleId} from '../compile/messages.js'
import type {DatasetRecord, FileKind, ReferencePage} from '../types.js'

export interface SerializedMessage {
  reason: string
  ruleId: string | null
  source: string | null
  fatal: boolean | null
  place: Position | Point | null
  actual: string | null
  expected: string[] | null
  note: string | null
}

export interface SerializedCompiled {
  kind: FileKind
  record: DatasetRecord | null
  reference: ReferencePage | null
  messages: SerializedMessage[]
}

export function serializeCompiled(compiled: LooseCompiledFile): SerializedCompiled {
  return {
    kind: compiled.kind,
    record: compiled.record,
    reference: compiled.reference,
    messages: compiled.messages.map(serializeMessage)
  }
}

export function serializeMessage(message: VFileMessage): SerializedMessage {
  return {
    reason: message.reason,
    ruleId: message.ruleId ?? null,
    source: message.source ?? null,
    fatal: message.fatal ?? null,
    place: message.place ? structuredClone(message.place) : null,
    actual: message.actual ?? null,
    expected: message.expected ?? null,
    note: message.note ?? null
  }
}

/** Messages as they were, attached to a new VFile whose path is `path`. */
export function deserializeMessages(items: readonly SerializedMessage[], path: string): VFile {
  const file = new VFile({path})
  for (const item of items) {
    const message = file.message(item.reason, {
      ...(item.place ? {place: item.place} : {}),
      ...(item.ruleId ? {ruleId: item.ruleId as RuleId} : {}),
      ...(item.source ? {source: item.source} : {})
    })
    message.fatal = item.fatal ?? undefined
    if (item.actual !== null) message.actual = item.actual
    if (item.expected !== null) message.expected = item.expected
    if (item.note !== null) message.note = item.note
  }
  return file
}

/**
 * The compiled file again, its messages on a new VFile whose path is `path`.
 * With `strings`, each permission's action, its parts and its description
 * are shared with equal ones seen before (many roles grant the same
 * actions), so that a build holding every record holds each text once.
 */
export function deserializeCompiled(data: SerializedCompiled, path: string, strings?: Map<string, string>): LooseCompiledFile {
  if (strings && data.record?.kind === 'role') {
    for (const permission of data.record.permissions) {
      permission.action = intern(strings, permission.action)
      permission.namespace = intern(strings, permission.namespace)
      permission.resource = intern(strings, permission.resource)
      permission.verb = intern(strings, permission.verb)
      permission.description = intern(strings, permission.description)
    }
  }
  const file = deserializeMessages(data.messages, path)
  return {kind: data.kind, record: data.record, reference: data.reference, messages: [...file.messages], file}
}

function intern(strings: Map<string, string>, value: string): string {
  const known = strings.get(value)
  if (known !== undefined) return known
  strings.set(value, value)
  return value
}
