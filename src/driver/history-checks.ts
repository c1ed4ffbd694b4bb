/**
 * What `roledoc history` checks before it walks, and which files it reads:
 * the `--path` values, the date range, paths that never existed, a shallow
 * clone that ends in the range; Markdown files as `roledoc build` finds
 * them in a folder.
 */
import {parseDateBound, type DateRange} from '../compare/history.js'
import {compareStrings} from '../compile/messages.js'
import {UsageError} from './errors.js'
import {shallowEnd, type CommitInfo, type Repository} from './git.js'

/** `--path` values as posix paths from the top of the repository, checked, sorted, each once. */
export function normalizePaths(paths: readonly string[]): string[] {
  const normal = new Set<string>()
  for (const given of paths) {
    const value = given.split('\\').join('/').replace(/^(\.\/)+/, '').replace(/\/+$/, '')
    if (value === '' || value === '.') continue
    if (value.startsWith('/') || value.split('/').includes('..')) {
      throw new UsageError(`\`--path ${given}\` leaves the repository; give a folder relative to its top, such as \`docs/identity/role-based-access-control\``)
    }
    normal.add(value)
  }
  return [...normal].sort(compareStrings)
}

export function dateRange(options: {since?: string | undefined; until?: string | undefined}): DateRange {
  const bound = (name: 'since' | 'until'): number | null => {
    const value = options[name]
    if (value === undefined) return null
    const time = parseDateBound(value, name)
    if (time === null) throw new UsageError(`\`--${name} ${value}\` is not a date; write \`YYYY-MM-DD\` or an ISO 8601 time such as \`2025-06-20T10:00:00Z\``)
    return time
  }
  return {since: bound('since'), until: bound('until')}
}

/** Each path must have been touched by some first-parent commit: a mistyped path is an error, not an empty history. */
export function assertPathsExisted(paths: readonly string[], log: readonly CommitInfo[], rev: string): void {
  for (const value of paths) {
    const touched = log.some((commit) => commit.files.some((file) => file.path === value || file.path.startsWith(`${value}/`)))
    if (!touched) throw new UsageError(`\`${value}\` never existed in the history of ${rev} (no first-parent commit touched it); check --path against \`git log --first-parent -- ${value}\``, {help: false})
  }
}

/** A shallow clone whose history ends inside the range cannot tell what its oldest commit changed. */
export async function assertWhole(repository: Repository, head: string, rev: string, range: DateRange): Promise<void> {
  const end = await shallowEnd(repository, head)
  if (end === null || (range.since !== null && Date.parse(end.date) < range.since)) return
  throw new UsageError(
    `${repository.display} is a shallow clone: the history of ${rev} ends at commit ${end.sha.slice(0, 12)} (${end.date}), so what the commits up to it changed is unknown; fetch the rest (\`git fetch --unshallow\`, or a partial clone: \`git clone --filter=blob:none\`), or pass --since after ${end.date.slice(0, 10)}`,
    {help: false}
  )
}

/** The file versions that `commits` bring (each path and blob once). */
export function countVersions(commits: readonly CommitInfo[]): number {
  const versions = new Set<string>()
  for (const commit of commits) {
    for (const file of commit.files) if (file.blob !== null && isMarkdown(file.path)) versions.add(`${file.path}\u0000${file.blob}`)
  }
  return versions.size
}

/** Whether roledoc reads the file, as `roledoc build` walks a folder: `*.md`, not hidden, not in `node_modules`. */
export function isMarkdown(filePath: string): boolean {
  if (!filePath.toLowerCase().endsWith('.md')) return false
  return filePath.split('/').every((segment) => !segment.startsWith('.') && segment !== 'node_modules')
}
