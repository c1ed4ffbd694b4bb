// @ts-check
/**
 * A synthetic scale corpus, generated deterministically from the real role
 * reference folder (`permissions-reference.md`, `includes/*.md`, …).
 *
 * Copy k = 0 … n-1 goes to its own subfolder `copy-<k>/`, a self-contained
 * reference folder. Copy 0 is the source, byte for byte. In every other copy:
 *
 * - every Markdown file but `permissions-reference.md` is renamed
 *   `<name>-c<k>.md`, and every link to it (`[!INCLUDE [slug](includes/slug.md)]`,
 *   badge links, includes between include files) follows, include labels
 *   too, so record ids stay unique across the whole input (roledoc reports
 *   `duplicate-id` otherwise);
 * - role names get ` <k>` appended: front matter `title`, the main page's
 *   headings and the roles table's link text; the table's `#anchor` links
 *   get `-<k>`, which is the slug of the renamed heading, so sections and
 *   rows still match;
 * - every GUID (template IDs in the roles table and in `Template ID:`
 *   paragraphs alike) has its last four hex digits XORed with k, so template
 *   IDs are unique across copies and still agree within one;
 * - in every third include file (which ones depends on k), every
 *   (k mod 7 + 5)-th action row is dropped, so copies differ in content.
 *
 * No randomness: the same source and n give the same bytes.
 *
 *   node test/bench/scale.mjs <n> <targetFolder> [sourceFolder]
 */
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import process from 'node:process'
import {fileURLToPath} from 'node:url'
import {listFiles} from './files.mjs'

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** The real role reference folder; override with ROLEDOC_REFERENCE, or the corpus with ROLEDOC_CORPUS. */
export const referenceFolder = path.resolve(
  repoRoot,
  process.env['ROLEDOC_REFERENCE'] ??
    path.join(process.env['ROLEDOC_CORPUS'] ?? '../shared/corpus', 'entra-docs/docs/identity/role-based-access-control')
)

/** The page that includes the role files; it keeps its name in every copy. */
const mainPage = 'permissions-reference.md'

/** Largest n: the XOR of a template ID's last 16 bits must stay distinct per copy. */
const maxCopies = 0x10000

/**
 * Write `n` renamed, varied copies of `sourceFolder` into `targetFolder`
 * (which is replaced). Returns the number of files written.
 * @param {string} sourceFolder
 * @param {string} targetFolder
 * @param {number} n
 * @returns {Promise<number>}
 */
export async function generateScaleCorpus(sourceFolder, targetFolder, n) {
  if (!Number.isInteger(n) || n < 1 || n > maxCopies) throw new RangeError(`n must be an integer from 1 to ${maxCopies}, got ${n}`)
  const names = await listFiles(sourceFolder)
  const sources = new Map()
  for (const name of names) sources.set(name, await readFile(path.join(sourceFolder, name)))
  const renamed = new Set(names.filter((name) => isMarkdown(name) && path.posix.basename(name) !== mainPage).map((name) => path.posix.basename(name)))
  const markdownIndex = new Map(names.filter(isMarkdown).map((name, index) => [name, index]))

  await rm(targetFolder, {recursive: true, force: true})
  let written = 0
  for (let k = 0; k < n; k++) {
    const folder = path.join(targetFolder, `copy-${k}`)
    await Promise.all(
      names.map(async (name) => {
        const source = /** @type {Buffer} */ (sources.get(name))
        const copy = k === 0 || !isMarkdown(name) ? {name, content: source} : transformFile(name, source.toString('utf8'), k, renamed, markdownIndex.get(name) ?? 0)
        const destination = path.join(folder, ...copy.name.split('/'))
        await mkdir(path.dirname(destination), {recursive: true})
        await writeFile(destination, copy.content)
      })
    )
    written += names.length
  }
  return written
}

/**
 * @param {string} name
 * @returns {boolean}
 */
function isMarkdown(name) {
  return name.toLowerCase().endsWith('.md')
}

/**
 * Copy k of one Markdown file: its new name and text.
 * @param {string} name posix path relative to the source folder
 * @param {string} text
 * @param {number} k
 * @param {ReadonlySet<string>} renamed basenames that get the copy suffix
 * @param {number} index the file's place among the Markdown files
 * @returns {{name: string, content: string}}
 */
function transformFile(name, text, k, renamed, index) {
  const base = path.posix.basename(name)
  let content = renameLinks(text, k, renamed)
  content = shiftGuids(content, k)
  content = renameTitle(content, k)
  if (base === mainPage) {
    content = renameHeadings(content, k)
    content = renameAnchorLinks(content, k)
  } else if ((index + k) % 3 === 0) {
    content = dropActionRows(content, (k % 7) + 5)
  }
  const newName = renamed.has(base) ? path.posix.join(path.posix.dirname(name), copyName(base, k)) : name
  return {name: newName, content}
}

/**
 * `slug.md` → `slug-c<k>.md`.
 * @param {string} base
 * @param {number} k
 * @returns {string}
 */
function copyName(base, k) {
  return `${base.slice(0, -'.md'.length)}-c${k}.md`
}

/**
 * Point links to renamed files (by basename) at their copies, and rename
 * `[!INCLUDE [slug]` labels alike. Links to other files stay as they are.
 * @param {string} text
 * @param {number} k
 * @param {ReadonlySet<string>} renamed
 * @returns {string}
 */
function renameLinks(text, k, renamed) {
  const links = text.replace(/(?<![\w.-])([\w][\w.-]*\.md)(?![\w])/g, (match, base) => (renamed.has(base) ? copyName(base, k) : match))
  return links.replace(/\[!INCLUDE\s*\[([^\]\n]+)\]/g, (match, label) =>
    renamed.has(`${label}.md`) ? match.replace(`[${label}]`, `[${label}-c${k}]`) : match
  )
}

/**
 * XOR the last 16 bits of every GUID with k (k ≥ 1 changes it; distinct k
 * give distinct values), keeping the letter case.
 * @param {string} text
 * @param {number} k
 * @returns {string}
 */
function shiftGuids(text, k) {
  return text.replace(/\b([\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{8})([\da-f]{4})\b/gi, (_match, head, tail) => {
    const shifted = (Number.parseInt(tail, 16) ^ k).toString(16).padStart(4, '0')
    return head + (tail === tail.toUpperCase() && /[A-F]/.test(tail) ? shifted.toUpperCase() : shifted)
  })
}

/**
 * Append ` <k>` to the front matter `title` (quoted or not).
 * @param {string} text
 * @param {number} k
 * @returns {string}
 */
function renameTitle(text, k) {
  return text.replace(/^(title:[ \t]*)(["']?)(.*?)\2([ \t]*)$/m, (_match, key, quote, value, trailing) => `${key}${quote}${value} ${k}${quote}${trailing}`)
}

/**
 * Append ` <k>` to every ATX heading, and `-<k>` to explicit
 * `<a name|id="…">` anchors in headings.
 * @param {string} text
 * @param {number} k
 * @returns {string}
 */
function renameHeadings(text, k) {
  return text.replace(/^(#{1,6}[ \t]+)(.*?)((?:[ \t]+#+)?[ \t]*)$/gm, (_match, marker, heading, closing) => {
    const anchored = heading.replace(/(<a\s[^>]*\b(?:name|id)\s*=\s*["']?)([^"'\s>]+)/i, `$1$2-${k}`)
    return `${marker}${anchored} ${k}${closing}`
  })
}

/**
 * `[Name](#anchor)` → `[Name <k>](#anchor-<k>)`: the roles table's rows
 * follow their renamed sections.
 * @param {string} text
 * @param {number} k
 * @returns {string}
 */
function renameAnchorLinks(text, k) {
  return text.replace(/\[([^\]\n]+)\]\(#([^)\s]+)\)/g, (_match, label, anchor) => `[${label} ${k}](#${anchor}-${k})`)
}

/**
 * Drop every `step`-th row of the permissions tables (rows whose first cell
 * is an action, such as `> | microsoft.directory/users/create | … |`).
 * @param {string} text
 * @param {number} step
 * @returns {string}
 */
function dropActionRows(text, step) {
  let count = 0
  return text
    .split('\n')
    .filter((line) => {
      if (!isActionRow(line)) return true
      count++
      return count % step !== 0
    })
    .join('\n')
}

/**
 * @param {string} line
 * @returns {boolean}
 */
function isActionRow(line) {
  const match = /^>?[ \t]*\|[ \t]*([^|\s]+)[ \t]*\|/.exec(line)
  return match !== null && /^[\w.-]+(?:\/[\w.-]+)+$/.test(/** @type {string} */ (match[1]).replace(/`/g, ''))
}

async function main() {
  const [count, target, source = referenceFolder] = process.argv.slice(2)
  if (!count || !target) {
    process.stderr.write('Usage: node test/bench/scale.mjs <n> <targetFolder> [sourceFolder]\n')
    process.exitCode = 2
    return
  }
  const files = await generateScaleCorpus(path.resolve(source), path.resolve(target), Number(count))
  process.stdout.write(`wrote ${files} files (${count} copies of ${source}) to ${target}\n`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main()
