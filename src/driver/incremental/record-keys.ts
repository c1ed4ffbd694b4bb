/**
 * The key of each record, which the dataset's files carry (see
 * `DatasetFile.recordKey`) so that a rebuild keeps the files, and the parts
 * of files, of records that did not change.
 */
import {createHash} from 'node:crypto'
import type {AssembleUnit} from '../../compile/assemble.js'
import type {DatasetRecord, SourceInfo} from '../../types.js'
import {bodyFields} from './lean-records.js'

/**
 * Characters of a record key: 132 bits of the SHA-256, in base64url. The
 * cache keeps a key for each record's file (a third of the text of 64 hex
 * digits), and a rebuild holds two for each record.
 */
const recordKeyLength = 22

/**
 * How the dataset's files key each record (see `DatasetFile.recordKey`),
 * without serializing whole records: the record of a file compiled from, or
 * found in, the cache is the same for the same cache key (that is what keys
 * the cache), and assembly changes only its head (anchor, name,
 * description, template ID, includes; a fragment that a section includes
 * becomes a role), never its summary, callouts, permissions, tables or
 * front matter (`test/assemble.test.ts`). So the key hashes the cache key
 * and the head. Records without a cache key (no cache; roles written inline
 * on a reference page) are hashed whole. This is what lets a rebuild hold
 * records without their bodies (`lean-records.ts`).
 */
export function recordKeys(units: readonly AssembleUnit[], keys: ReadonlyArray<string | null>): (record: DatasetRecord) => string {
  // By the record's `source`, which assembly keeps (it copies records, and their fields by reference).
  const byFile = new WeakMap<SourceInfo, string>()
  for (const [index, unit] of units.entries()) {
    const key = keys[index]
    if (key && unit.compiled.record) byFile.set(unit.compiled.record.source, key)
  }
  return (record) => {
    const key = byFile.get(record.source)
    const hash = createHash('sha256')
    if (key === undefined) {
      hash.update(JSON.stringify(record))
    } else {
      const head: Record<string, unknown> = {...record}
      for (const field of bodyFields) head[field] = undefined
      hash.update(`${key}\u0000${JSON.stringify(head)}`)
    }
    return hash.digest('base64url').slice(0, recordKeyLength)
  }
}

