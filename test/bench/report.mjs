// @ts-check
/**
 * Formatting for the benchmark report: Markdown tables and numbers.
 */

/**
 * A Markdown table with the columns padded to line up.
 * @param {readonly string[]} header
 * @param {ReadonlyArray<readonly string[]>} rows
 * @param {ReadonlyArray<'left' | 'right'>} [align]
 * @returns {string}
 */
export function markdownTable(header, rows, align = []) {
  const widths = header.map((cell, column) => Math.max(cell.length, 3, ...rows.map((row) => (row[column] ?? '').length)))
  /** @param {readonly string[]} cells */
  const line = (cells) =>
    `| ${widths.map((width, column) => pad(cells[column] ?? '', width, align[column] ?? 'left')).join(' | ')} |`
  const rule = `| ${widths.map((width, column) => (align[column] === 'right' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`
  return [line(header), rule, ...rows.map(line)].join('\n')
}

/**
 * @param {string} text
 * @param {number} width
 * @param {'left' | 'right'} side
 * @returns {string}
 */
function pad(text, width, side) {
  return side === 'right' ? text.padStart(width) : text.padEnd(width)
}

/**
 * Milliseconds: whole above 100, one decimal below.
 * @param {number} ms
 * @returns {string}
 */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return '–'
  return ms >= 100 ? Math.round(ms).toLocaleString('en-US') : ms.toFixed(1)
}

/**
 * A ratio such as `0.42×` (three decimals when small).
 * @param {number} ratio
 * @returns {string}
 */
export function formatRatio(ratio) {
  if (!Number.isFinite(ratio)) return '–'
  return `${ratio < 0.1 ? ratio.toFixed(3) : ratio.toFixed(2)}×`
}

/**
 * CPU time over wall time, such as `1.62`: about how many cores were busy.
 * @param {number} cores
 * @returns {string}
 */
export function formatCores(cores) {
  return Number.isFinite(cores) ? cores.toFixed(2) : '–'
}

/**
 * KiB as MiB with one decimal.
 * @param {number | null} kib
 * @returns {string}
 */
export function formatMiB(kib) {
  return kib === null || !Number.isFinite(kib) ? '–' : (kib / 1024).toFixed(1)
}

/**
 * Bytes as a short size (`824 kB`, `82.3 MB`).
 * @param {number} bytes
 * @returns {string}
 */
export function formatBytes(bytes) {
  if (bytes < 1e6) return `${Math.round(bytes / 1e3)} kB`
  return `${(bytes / 1e6).toFixed(1)} MB`
}

/**
 * Quote a command-line argument for a POSIX shell when it needs it.
 * @param {string} arg
 * @returns {string}
 */
export function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`
}
