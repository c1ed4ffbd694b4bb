/**
 * Where the explorer page (`<out>/site/index.html`) links each role's source
 * when no `--site-base-url` is given: to the Markdown file itself, by a path
 * relative to the page, so that the links work when the page is opened from
 * disk where it was built. Only when the output folder and the input folder
 * share a folder other than the file system's root: a path up to the root
 * would spell out the whole absolute path of the docs, and break as soon as
 * either folder moves. Relative to each other, the two folders give the same
 * link from any working folder.
 */
import path from 'node:path'
import type {RoleRecord} from '../types.js'

/**
 * The link from the folder `from` to the folder `to` (both absolute), as a
 * URL prefix (posix, each segment percent-encoded, `/`-ended; `''` for the
 * same folder), or `null` when they have only the file system's root in
 * common (or, on Windows, lie on different drives).
 */
export function folderLink(from: string, to: string): string | null {
  const relative = path.relative(from, to)
  if (relative === '') return ''
  if (path.isAbsolute(relative)) return null
  const segments = relative.split(path.sep)
  let up = 0
  while (segments[up] === '..') up++
  const depth = from.slice(path.parse(from).root.length).split(path.sep).filter((segment) => segment !== '').length
  if (up >= depth) return null
  return segments.map(encodeURIComponent).join('/') + '/'
}

/**
 * For `emitSite`'s `sourceFolder`: each role's input root (`roots`, by id,
 * relative to `cwd`) as a link from `<out>/site/`, or `null` for no link.
 */
export function localSourceFolders(roots: ReadonlyMap<string, string>, out: string, cwd: string): (record: RoleRecord) => string | null {
  const page = path.resolve(cwd, out, 'site')
  const links = new Map<string, string | null>()
  return (record) => {
    const root = roots.get(record.id)
    if (root === undefined) return null
    let link = links.get(root)
    if (link === undefined) {
      link = folderLink(page, path.resolve(cwd, root))
      links.set(root, link)
    }
    return link
  }
}

/** What the links of `localSourceFolders` depend on besides the records, for the cache's key of the output: each input's link from the page. */
export function sourceLinksKey(inputs: readonly string[], out: string, cwd: string): Array<string | null> {
  const page = path.resolve(cwd, out, 'site')
  return inputs.map((input) => folderLink(page, path.resolve(cwd, input)))
}
