/**
 * What assembly will most likely make of each record, told while the files
 * are still being compiled, so that a build can write a record's files
 * before the last file is done. Each compiled file is given as it comes:
 * its record is joined to the first section that includes it on a
 * reference page compiled so far (`joinRow`), and its includes are marked
 * resolved when they point at an input file that is not known to hold no
 * record (`resolvedIncludes`), the steps of `assemble` for one record.
 *
 * A guess can be wrong: a reference page compiled after the file, a second
 * page, a target that turns out to be a page or to be skipped. Whoever uses
 * a guess checks it against what `assemble` gives (the build's writer
 * makes again any file it guessed wrong: `driver/write-ahead.ts`). Pure:
 * compiled files in, records out; nothing is reported.
 */
import {joinRow, resolvedIncludes, roleOf, type AssembleUnit} from './assemble.js'
import type {DatasetRecord, ReferenceSection, RolesTableRow} from '../types.js'

/** An input file: the root it was found under, and its posix path in that root (`source.path` of its record). */
export interface InputKey {
  root: string
  sourcePath: string
}

/** Where a page joins a file's record: the first section that includes it, and that section's row. */
interface Join {
  section: ReferenceSection
  row: RolesTableRow | undefined
}

/** The records guessed so far, and what they were guessed from. */
export class ProvisionalRecords {
  /** Every input file, by `keyOf`. */
  private readonly inputs: Set<string>
  /** Files compiled to no record: reference pages, skipped files. */
  private readonly noRecord = new Set<string>()
  /** Records of the files compiled so far, by `keyOf` of their file. */
  private readonly records = new Map<string, {root: string; record: DatasetRecord}>()
  /** For a file that a section of a page compiled so far includes: the first such section. */
  private readonly joins = new Map<string, Join>()

  constructor(inputs: Iterable<InputKey>) {
    this.inputs = new Set([...inputs].map((input) => keyOf(input.root, input.sourcePath)))
  }

  /**
   * `unit` is compiled: the records whose guess it makes or changes. A role
   * or fragment gives its own record; a reference page its inline roles,
   * and the records compiled before it that it joins.
   */
  add(unit: AssembleUnit): DatasetRecord[] {
    const {record, reference} = unit.compiled
    if (record) {
      const key = keyOf(unit.root, record.source.path)
      this.records.set(key, {root: unit.root, record})
      return [this.guess(unit.root, record, this.joins.get(key))]
    }
    if (!reference) return []
    this.noRecord.add(keyOf(unit.root, reference.source.path))
    const rows = new Map<string, RolesTableRow>()
    for (const row of reference.rows) if (!rows.has(row.anchor)) rows.set(row.anchor, row)
    const guesses: DatasetRecord[] = []
    for (const section of reference.sections) {
      const row = rows.get(section.anchor)
      if (section.role) {
        guesses.push(this.guess(unit.root, section.role, {section, row}))
        continue
      }
      for (const include of section.includes) {
        const key = include.target === null ? null : keyOf(unit.root, include.target)
        if (key === null || this.joins.has(key)) continue
        this.joins.set(key, {section, row})
        const compiled = this.records.get(key)
        if (compiled) guesses.push(this.guess(compiled.root, compiled.record, {section, row}))
      }
    }
    return guesses
  }

  /** `record` as assembly would make it, given `join`. */
  private guess(root: string, record: DatasetRecord, join: Join | undefined): DatasetRecord {
    const joined: DatasetRecord = join ? joinRow(roleOf(record), join.section, join.row) : record
    const hasRecord = (target: string): boolean => {
      const key = keyOf(root, target)
      return this.inputs.has(key) && !this.noRecord.has(key)
    }
    return {...joined, includes: resolvedIncludes(joined.includes, hasRecord)}
  }
}

function keyOf(root: string, sourcePath: string): string {
  return `${root}\u0000${sourcePath}`
}
