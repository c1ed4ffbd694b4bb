/**
 * Stage 4: from compiled files to the dataset's records. Joins each
 * reference page with the role files its sections include (name,
 * description and template ID from the roles table, the section's anchor),
 * resolves includes between compiled files, and reports what does not fit:
 * missing and unreferenced includes, conflicting badges and template IDs,
 * duplicate ids. Pure: works on compiled files only, reads nothing.
 */
import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import type {LooseCompiledFile} from './compile.js'
import {compareStrings, report} from './messages.js'
import type {
  DatasetRecord,
  FragmentRecord,
  IncludeRef,
  ReferencePage,
  ReferenceSection,
  RoleRecord,
  RolesTableRow
} from '../types.js'

/** A compiled file and the input root it was found under. */
export interface AssembleUnit {
  /** The input root, as given (files under different roots never include each other). */
  root: string
  compiled: LooseCompiledFile
}

interface Entry {
  /** The file the record comes from; messages about the record go to its VFile (see `fileOf`). */
  unit: AssembleUnit
  record: DatasetRecord
}

/**
 * The VFile messages about `entry` go to, asked for only when there is a
 * message: a build that holds lean records makes a cached file's VFile only
 * then (`driver/incremental/lean-records.ts`).
 */
function fileOf(entry: Entry): VFile {
  return entry.unit.compiled.file
}

/** Join and check compiled files; returns the records sorted by id. */
export function assemble(units: readonly AssembleUnit[]): DatasetRecord[] {
  const entries = new Map<string, Entry>()
  const pages: Array<{unit: AssembleUnit; page: ReferencePage}> = []
  for (const unit of units) {
    const {record, reference} = unit.compiled
    if (record) entries.set(keyOf(unit.root, record.source.path), {unit, record})
    if (reference) pages.push({unit, page: reference})
  }

  const referenced = new Set<Entry>()
  const inline: Entry[] = []
  const rootsWithPages = new Set(pages.map(({unit}) => unit.root))

  for (const {unit, page} of pages) {
    const file = unit.compiled.file
    const rows = new Map<string, RolesTableRow>()
    for (const row of page.rows) if (!rows.has(row.anchor)) rows.set(row.anchor, row)
    const used = new Set<string>()

    for (const section of page.sections) {
      const row = rows.get(section.anchor)
      if (row) used.add(section.anchor)
      if (section.role) {
        // The section holds its role: what it includes is the role's content
        // (a fragment stays a fragment), listed and resolved with its includes.
        inline.push({unit, record: join(section.role, section, row, unit, file)})
        continue
      }
      for (const include of section.includes) {
        const target = include.target === null ? undefined : entries.get(keyOf(unit.root, include.target))
        if (!target) {
          report(
            file,
            'missing-include',
            include.target === null
              ? `Section \`${section.name}\` includes \`${include.path}\`, which lies outside the input root and is not read; include a file inside it`
              : `Section \`${section.name}\` includes \`${include.path}\`, but \`${include.target}\` is not among the input files; fix the path or add the file`,
            include.position
          )
          continue
        }
        if (referenced.has(target)) continue
        referenced.add(target)
        target.record = join(asRole(target), section, row, target.unit, file)
      }
    }

    for (const row of page.rows) {
      if (used.has(row.anchor)) continue
      report(
        file,
        'missing-role-section',
        `Role \`${row.name}\` links to \`#${row.anchor}\`, but no section has that anchor; add the section or fix the link`,
        row.position
      )
    }
  }

  for (const entry of entries.values()) {
    if (entry.record.kind === 'role' && rootsWithPages.has(entry.unit.root) && !referenced.has(entry)) {
      report(
        fileOf(entry),
        'unreferenced-include',
        'No section of the reference page includes this role; it is compiled, but without the roles table’s name, description and template ID. Add a section for it',
        {line: 1, column: 1}
      )
    }
  }

  const all = [...entries.values(), ...inline]
  for (const entry of all) {
    entry.record = {...entry.record, includes: resolveIncludes(entry, entries)}
  }
  checkIncludeGraph(entries)
  return uniqueById(all)
}

/** A role record with the reference page's data for its section; messages name `roleUnit`, the file the role comes from. */
function join(
  record: RoleRecord,
  section: ReferenceSection,
  row: RolesTableRow | undefined,
  roleUnit: AssembleUnit,
  pageFile: VFile
): RoleRecord {
  if (!row) return {...record, anchor: section.anchor}
  if (record.templateId !== null && row.templateId !== null && record.templateId !== row.templateId) {
    report(
      pageFile,
      'template-id-mismatch',
      `The roles table gives template ID \`${row.templateId}\` for \`${row.name}\`, but ${roleUnit.compiled.file.path} says \`${record.templateId}\`; make them agree`,
      row.position,
      {actual: record.templateId, expected: [row.templateId]}
    )
  }
  if (record.privileged !== row.privileged) {
    report(
      pageFile,
      'privileged-mismatch',
      record.privileged
        ? `\`${row.name}\` carries the privileged badge in ${roleUnit.compiled.file.path} but not in the roles table; add or remove the badge so they agree`
        : `\`${row.name}\` carries the privileged badge in the roles table but not in ${roleUnit.compiled.file.path}; add or remove the badge so they agree`,
      row.position
    )
    // Badged in the roles table, the role is privileged somewhere.
    if (row.privileged) withdrawUnmarked(roleUnit.compiled, record)
  }
  return joinRow(record, section, row)
}

/**
 * A role as its section of the reference page gives it: the section's
 * anchor, and the roles table row's name, description and template ID
 * (`row`, when the table has one for the section). Pure: `assemble`
 * reports what does not agree.
 */
export function joinRow(record: RoleRecord, section: ReferenceSection, row: RolesTableRow | undefined): RoleRecord {
  if (!row) return {...record, anchor: section.anchor}
  return {
    ...record,
    anchor: section.anchor,
    name: row.name,
    description: row.description,
    templateId: row.templateId ?? record.templateId
  }
}

/**
 * Withdraw the `unmarked-privileged-role` warning that compiling `record`
 * reported on its file. A file from the cache without messages has none; a
 * record held lean (without permissions) is the only role of its include
 * file, while a reference page's inline roles are told apart by the line of
 * their first privileged row.
 */
function withdrawUnmarked(compiled: LooseCompiledFile, record: RoleRecord): void {
  if (compiled.messages.length === 0) return
  const line = record.permissions.find((permission) => permission.privileged)?.position.line
  const isUnmarked = (message: VFileMessage): boolean =>
    message.ruleId === 'unmarked-privileged-role' && (line === undefined || message.line === line)
  for (const messages of new Set([compiled.messages, compiled.file.messages])) {
    const index = messages.findIndex(isUnmarked)
    if (index !== -1) messages.splice(index, 1)
  }
}

/** A fragment that a role section includes becomes a role with no permissions. */
function asRole(entry: Entry): RoleRecord {
  const record = entry.record
  if (record.kind === 'role') return record
  report(
    fileOf(entry),
    'no-permissions-table',
    'A role section of the reference page includes this file, but it has no permissions table and no autogenerated marker; the role has no permissions',
    {line: 1, column: 1}
  )
  return roleOf(record)
}

/** `record` as a role: a fragment that a role section includes becomes a role with no permissions. */
export function roleOf(record: DatasetRecord): RoleRecord {
  return record.kind === 'role' ? record : fragmentAsRole(record)
}

function fragmentAsRole(record: FragmentRecord): RoleRecord {
  return {
    schemaVersion: 1,
    id: record.id,
    kind: 'role',
    anchor: null,
    name: record.name,
    description: record.description,
    templateId: null,
    privileged: false,
    deprecated: false,
    summary: record.summary,
    callouts: record.callouts,
    permissions: [],
    tables: record.tables,
    includes: record.includes,
    frontMatter: record.frontMatter,
    source: record.source
  }
}

/** Mark includes that point at compiled files as resolved; report the others. */
function resolveIncludes(entry: Entry, entries: Map<string, Entry>): IncludeRef[] {
  const hasRecord = (target: string): boolean => entries.has(keyOf(entry.unit.root, target))
  for (const include of entry.record.includes) {
    if (include.target === null) {
      report(
        fileOf(entry),
        'include-outside-root',
        `\`${include.path}\` lies outside the input root, so it is not read; the record lists it with \`resolved: false\``,
        include.position
      )
    } else if (!hasRecord(include.target)) {
      report(
        fileOf(entry),
        'unresolved-include',
        `\`${include.path}\` points at \`${include.target}\`, which is not among the input files; fix the path`,
        include.position
      )
    }
  }
  return resolvedIncludes(entry.record.includes, hasRecord)
}

/**
 * `includes`, each one whose target is a compiled file with a record
 * (`hasRecord`, given the target's path in the same input root) marked
 * resolved. Pure: `assemble` reports the others.
 */
export function resolvedIncludes(includes: readonly IncludeRef[], hasRecord: (target: string) => boolean): IncludeRef[] {
  return includes.map((include) => (include.target !== null && hasRecord(include.target) ? {...include, resolved: true} : include))
}

/** How many files deep includes may nest (`include-too-deep`). */
export const maxIncludeDepth = 10

/**
 * Walk the resolved includes between files: a file that includes itself,
 * directly or not, is an `include-cycle`; a chain longer than
 * `maxIncludeDepth` is `include-too-deep`. Iterative, so a long chain
 * cannot overflow the stack.
 */
function checkIncludeGraph(entries: Map<string, Entry>): void {
  const edges = new Map<Entry, Array<{target: Entry; include: IncludeRef}>>()
  for (const entry of entries.values()) {
    const list: Array<{target: Entry; include: IncludeRef}> = []
    for (const include of entry.record.includes) {
      const target = include.resolved && include.target !== null ? entries.get(keyOf(entry.unit.root, include.target)) : undefined
      if (target) list.push({target, include})
    }
    if (list.length > 0) edges.set(entry, list)
  }
  const reported = new Set<string>()
  for (const start of edges.keys()) {
    const path: Entry[] = [start]
    const cursors: number[] = [0]
    // Files whose includes were all walked from this start: not walked again.
    const done = new Set<Entry>()
    while (path.length > 0) {
      const top = path.at(-1) as Entry
      const next = edges.get(top)?.[cursors.at(-1) ?? 0]
      if (!next) {
        done.add(top)
        path.pop()
        cursors.pop()
        continue
      }
      cursors[cursors.length - 1] = (cursors.at(-1) ?? 0) + 1
      const loop = path.indexOf(next.target)
      if (loop !== -1) {
        const cycle = path.slice(loop).map((entry) => entry.record.source.path)
        const key = [...cycle].sort().join('\u0000')
        if (!reported.has(key)) {
          reported.add(key)
          report(
            fileOf(top),
            'include-cycle',
            `\`${next.include.path}\` closes an include cycle: ${[...cycle, next.target.record.source.path].join(' → ')}; remove one of these includes`,
            next.include.position
          )
        }
        continue
      }
      if (path.length >= maxIncludeDepth) {
        const key = `depth\u0000${top.record.source.path}\u0000${next.include.path}`
        if (!reported.has(key)) {
          reported.add(key)
          report(
            fileOf(top),
            'include-too-deep',
            `\`${next.include.path}\` nests includes more than ${maxIncludeDepth} files deep (from ${start.record.source.path}); flatten them`,
            next.include.position
          )
        }
        continue
      }
      if (done.has(next.target)) continue
      path.push(next.target)
      cursors.push(0)
    }
  }
}

function uniqueById(entries: readonly Entry[]): DatasetRecord[] {
  const owners = new Map<string, Entry>()
  for (const entry of entries) {
    const owner = owners.get(entry.record.id)
    if (owner) {
      report(
        fileOf(entry),
        'duplicate-id',
        `Record id \`${entry.record.id}\` is also produced by ${fileOf(owner).path}; rename one of them`,
        {line: 1, column: 1}
      )
      continue
    }
    owners.set(entry.record.id, entry)
  }
  return [...owners.values()].map((entry) => entry.record).sort((a, b) => compareStrings(a.id, b.id))
}

function keyOf(root: string, sourcePath: string): string {
  return `${root}\u0000${sourcePath}`
}
