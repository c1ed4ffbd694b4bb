/**
 * Lean records, for a rebuild into a folder roledoc wrote before (where the
 * files of most records are kept, not made): a record that comes from the
 * cache is held without its body (summary, callouts, permissions, tables,
 * front matter), which is read back from its cache entry only when a file
 * is made from it. What the index, the action index and the summary need of
 * its permissions is kept, compact. Assembly never reads a body
 * (`test/assemble.test.ts`), and a lean record keeps the `source` object by
 * which its body is found. A file from the cache without messages gets its
 * VFile only if assembly reports on it (`CachedCleanFile`).
 */
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import type {Cache} from './cache.js'
import type {LooseCompiledFile} from '../../compile/compile.js'
import type {PermissionFacts} from '../../emit/dataset.js'
import type {DatasetRecord, FileKind, SourceInfo} from '../../types.js'
import {compiledEntryFor} from './cache-entries.js'
import {ChangedDuringRun} from '../errors.js'

/** A record's body: the fields that assembly never changes and a lean record holds empty. */
export const bodyFields = ['summary', 'callouts', 'permissions', 'tables', 'frontMatter'] as const

/** One empty list and one empty object for every lean record's placeholders (they are never written). */
const none: never[] = []
const noFrontMatter = {}

interface Held {
  /** The cache entry the body is read back from. */
  key: string
  /** Where the record's permissions lie in `LeanRecords.indexes`: from `start`, `count` of them. */
  start: number
  count: number
}

/** The lean records of one build, and how to make each whole again. */
export class LeanRecords {
  private readonly cache: Cache
  private readonly held = new WeakMap<SourceInfo, Held>()
  /** Each distinct permission (action, description, badge) once: many roles grant the same. */
  private readonly facts: PermissionFacts[] = []
  private readonly factIndex = new Map<string, number>()
  /**
   * Every held record's permissions, one after the other, each as the index
   * of its facts in `facts`: one array for all, not one per record.
   */
  private indexes = new Uint32Array(1024)
  private used = 0
  /** The last record made whole: its `.json` and `.yaml` files are made one after the other. */
  private last: {lean: DatasetRecord; whole: DatasetRecord} | undefined

  constructor(cache: Cache) {
    this.cache = cache
  }

  /** `record` (from the cache entry `key`) without its body: the same keys in the same order, their values empty. */
  makeLean(record: DatasetRecord, key: string): DatasetRecord {
    const permissions = record.kind === 'role' ? record.permissions : []
    const start = this.used
    if (start + permissions.length > this.indexes.length) {
      const grown = new Uint32Array(Math.max(2 * this.indexes.length, start + permissions.length))
      grown.set(this.indexes.subarray(0, start))
      this.indexes = grown
    }
    for (const permission of permissions) {
      const {action, namespace, resource, verb, description, privileged} = permission
      // The namespace, resource and verb are the action's.
      const known = `${privileged ? 1 : 0}${action}\u0000${description}`
      let fact = this.factIndex.get(known)
      if (fact === undefined) {
        fact = this.facts.push({action, namespace, resource, verb, description, privileged}) - 1
        this.factIndex.set(known, fact)
      }
      this.indexes[this.used++] = fact
    }
    this.held.set(record.source, {key, start, count: permissions.length})
    const lean = {...record, summary: '', callouts: none, tables: none, frontMatter: noFrontMatter}
    return lean.kind === 'role' ? {...lean, permissions: none} : lean
  }

  /** The whole record: `record` itself, or a lean one with its body read back from the cache. */
  readonly whole = (record: DatasetRecord): DatasetRecord => {
    const held = this.held.get(record.source)
    if (!held) return record
    if (this.last?.lean === record) return this.last.whole
    const stored = this.cache.getSync(held.key, compiledEntryFor(record.source))?.record
    if (!stored || stored.source.path !== record.source.path || stored.source.sha256 !== record.source.sha256) {
      throw new ChangedDuringRun(`The cache entry for ${record.source.path} changed or went away during the build (in ${this.cache.folder}); run again`)
    }
    const whole: Record<string, unknown> = {...record}
    // A fragment that a role section includes has no permissions of its own: it keeps the empty list.
    for (const field of bodyFields) if (field in stored) whole[field] = (stored as unknown as Record<string, unknown>)[field]
    this.last = {lean: record, whole: whole as unknown as DatasetRecord}
    return whole as unknown as DatasetRecord
  }

  /** What the index, the action index and the summary need of each permission of `record`. */
  readonly permissionFacts = (record: DatasetRecord): readonly PermissionFacts[] => {
    if (record.kind !== 'role') return []
    const held = this.held.get(record.source)
    if (!held) return record.permissions
    const facts: PermissionFacts[] = []
    for (let index = held.start; index < held.start + held.count; index++) facts.push(this.facts[this.indexes[index] as number] as PermissionFacts)
    return facts
  }
}

/** One empty list for the messages of every `CachedCleanFile`. */
const noMessages: VFileMessage[] = []

/**
 * A role or fragment file from the cache, compiled without messages, in a
 * rebuild that holds lean records: its VFile (a few hundred bytes, with its
 * path and lists) is made only when assembly reports on the file, which
 * few files need.
 */
export class CachedCleanFile implements LooseCompiledFile {
  readonly reference = null
  readonly messages = noMessages
  private made: VFile | undefined

  constructor(
    readonly kind: FileKind,
    readonly record: DatasetRecord,
    private readonly path: string
  ) {}

  get file(): VFile {
    return (this.made ??= new VFile({path: this.path}))
  }

  /** The file's messages: those that assembly reported on it, if any. */
  get reported(): VFileMessage[] {
    return this.made?.messages ?? noMessages
  }
}

/** The messages on a compiled file, without making the VFile of a `CachedCleanFile` that has none. */
export function fileMessages(compiled: LooseCompiledFile): VFileMessage[] {
  return compiled instanceof CachedCleanFile ? compiled.reported : compiled.file.messages
}
