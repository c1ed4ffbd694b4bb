/**
 * The build driver's lean records, for a rebuild into a folder roledoc
 * wrote before (where the files of most records are kept, not made): a
 * record that comes from the cache is held without its body (summary,
 * callouts, permissions, tables, front matter), which is read back from its
 * cache entry only when a file is made from it. What the index, the action
 * index and the summary need of its permissions is kept, compact. Assembly
 * never reads a body (`test/assemble.test.ts`), and a lean record keeps the
 * `source` object by which its body is found.
 */
import type {Cache} from '../cache.js'
import type {PermissionFacts} from '../emit/dataset.js'
import {isSerializedCompiled} from '../serialize.js'
import type {DatasetRecord, SourceInfo} from '../types.js'
import {UsageError} from './errors.js'

/** A record's body: the fields that assembly never changes and a lean record holds empty. */
export const bodyFields = ['summary', 'callouts', 'permissions', 'tables', 'frontMatter'] as const

/** One empty list and one empty object for every lean record's placeholders (they are never written). */
const none: never[] = []
const noFrontMatter = {}

interface Held {
  /** The cache entry the body is read back from. */
  key: string
  /** Each permission, as the index of its facts in `RecordBodies.facts`. */
  permissions: Uint32Array
}

export class RecordBodies {
  private readonly cache: Cache
  private readonly held = new WeakMap<SourceInfo, Held>()
  /** Each distinct permission (action, description, badge) once: many roles grant the same. */
  private readonly facts: PermissionFacts[] = []
  private readonly factIndex = new Map<string, number>()
  /** The last record loaded, whole: its `.json` and `.yaml` files are made one after the other. */
  private last: [lean: DatasetRecord, whole: DatasetRecord] | undefined

  constructor(cache: Cache) {
    this.cache = cache
  }

  /** `record` (from the cache entry `key`) without its body: the same keys in the same order, their values empty. */
  leave(record: DatasetRecord, key: string): DatasetRecord {
    const permissions = record.kind === 'role' ? record.permissions : []
    const indexes = new Uint32Array(permissions.length)
    for (const [index, permission] of permissions.entries()) {
      const {action, namespace, resource, verb, description, privileged} = permission
      // The namespace, resource and verb are the action's.
      const known = `${privileged ? 1 : 0}${action}\u0000${description}`
      let fact = this.factIndex.get(known)
      if (fact === undefined) {
        fact = this.facts.push({action, namespace, resource, verb, description, privileged}) - 1
        this.factIndex.set(known, fact)
      }
      indexes[index] = fact
    }
    this.held.set(record.source, {key, permissions: indexes})
    const lean = {...record, summary: '', callouts: none, tables: none, frontMatter: noFrontMatter}
    return lean.kind === 'role' ? {...lean, permissions: none} : lean
  }

  /** The whole record: `record` itself, or a lean one with its body read back from the cache. */
  readonly load = (record: DatasetRecord): DatasetRecord => {
    const held = this.held.get(record.source)
    if (!held) return record
    if (this.last?.[0] === record) return this.last[1]
    const stored = this.cache.getSync(held.key, isSerializedCompiled)?.record
    if (!stored || stored.source.path !== record.source.path || stored.source.sha256 !== record.source.sha256) {
      throw new UsageError(`The cache entry for ${record.source.path} changed or went away during the build (in ${this.cache.folder}); run again`, {help: false})
    }
    const whole: Record<string, unknown> = {...record}
    // A fragment that a role section includes has no permissions of its own: it keeps the empty list.
    for (const field of bodyFields) if (field in stored) whole[field] = (stored as unknown as Record<string, unknown>)[field]
    this.last = [record, whole as unknown as DatasetRecord]
    return whole as unknown as DatasetRecord
  }

  /** What the index, the action index and the summary need of each permission of `record`. */
  readonly permissions = (record: DatasetRecord): readonly PermissionFacts[] => {
    if (record.kind !== 'role') return []
    const held = this.held.get(record.source)
    if (!held) return record.permissions
    const facts: PermissionFacts[] = []
    for (const index of held.permissions) facts.push(this.facts[index] as PermissionFacts)
    return facts
  }
}
