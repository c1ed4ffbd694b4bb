/**
 * The history of the role reference: each commit's changes in meaning,
 * made by comparing the records of its tree with those of its first
 * parent's, the way `roledoc diff` compares two versions (roles matched by
 * template ID, else by id). Pure: the driver reads git and compiles the
 * trees; this walks the records it is given.
 */
import type {Change} from './change.js'
import {diffRecords} from './diff.js'
import type {DatasetRecord} from '../types.js'

/** One commit and what it changed in meaning (`[]`: it touched the paths, not the data). */
export interface HistoryCommit {
  sha: string
  /** The commit's (committer) date, ISO 8601 as git gives it. */
  date: string
  subject: string
  changes: Change[]
}

/** What `roledoc history --format json` prints (`schema/history.schema.json`). */
export interface History {
  schemaVersion: 1
  /** The paths walked, as given (posix, relative to the top of the repository); `[]` for the whole repository. */
  paths: string[]
  /** Every first-parent commit in the range that touched the paths, oldest first. */
  commits: HistoryCommit[]
}

/** A commit and the records of its tree. */
export interface Snapshot {
  commit: {sha: string; date: string; subject: string}
  records: readonly DatasetRecord[]
  /** Whether the commit is one to report (in the date range); others only move the walk on. */
  reported: boolean
}

/**
 * Walk `snapshots` (oldest first) from the records of `baseline`, the tree
 * before the first of them: each reported commit with the changes from the
 * snapshot before it.
 */
export async function walkHistory(paths: readonly string[], baseline: readonly DatasetRecord[], snapshots: AsyncIterable<Snapshot>): Promise<History> {
  const commits: HistoryCommit[] = []
  let before = baseline
  for await (const snapshot of snapshots) {
    const changes = snapshot.records === before ? [] : diffRecords(before, snapshot.records).changes
    if (snapshot.reported) commits.push({...snapshot.commit, changes})
    before = snapshot.records
  }
  return {schemaVersion: 1, paths: [...paths], commits}
}

/** The commits that changed the data. */
export function changedCommits(history: History): HistoryCommit[] {
  return history.commits.filter((commit) => commit.changes.length > 0)
}

/** A date range: instants in milliseconds, either end open (`null`). */
export interface DateRange {
  since: number | null
  until: number | null
}

/** Whether the ISO 8601 `date` lies in `range` (both ends included). */
export function inRange(date: string, range: DateRange): boolean {
  const time = Date.parse(date)
  return (range.since === null || time >= range.since) && (range.until === null || time <= range.until)
}

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/

/**
 * `--since` or `--until` as an instant: a day `YYYY-MM-DD` (UTC; `--since`
 * from its start, `--until` to its end), or a time with its offset
 * (`2025-06-20T10:00:00+02:00`, `…Z`). `null` when it is neither.
 */
export function parseDateBound(value: string, end: 'since' | 'until'): number | null {
  const day = dayPattern.exec(value)
  if (day) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])]
    const start = Date.UTC(year, month - 1, date)
    const check = new Date(start)
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) return null
    return end === 'since' ? start : start + 24 * 60 * 60 * 1000 - 1
  }
  if (!instantPattern.test(value)) return null
  const time = Date.parse(value)
  return Number.isNaN(time) ? null : time
}
