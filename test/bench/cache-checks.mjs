// @ts-check
/**
 * What checking the cache's entries costs, against what validating them
 * with the published schemas would:
 *
 *   npm run build && node test/bench/cache-checks.mjs
 *
 * Fills a cache in a temporary folder from the real reference folder, then,
 * each in a fresh process (so that nothing is warm but what is measured):
 * the hand-written guards of `dist/driver/incremental/cache-entries.js` over every
 * compiled entry, a first (cold) pass and the median of 20 more; and ajv
 * (a devDependency) loaded, the two record schemas compiled, and every
 * record validated the same way. Prints one line each, in milliseconds.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const reference = path.resolve(
  root,
  process.env['ROLEDOC_REFERENCE'] ?? path.join(process.env['ROLEDOC_CORPUS'] ?? '../shared/corpus', 'entra-docs/docs/identity/role-based-access-control')
)

const child = String.raw`
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
const [folder, how] = process.argv.slice(1)
const values = readdirSync(folder, {recursive: true, withFileTypes: true})
  .filter((entry) => entry.isFile())
  .map((entry) => JSON.parse(readFileSync(path.join(entry.parentPath, entry.name), 'utf8')).value)
  .filter((value) => 'kind' in value)
const time = (run) => {
  const start = process.hrtime.bigint()
  const valid = run()
  return [Number(process.hrtime.bigint() - start) / 1e6, valid]
}
const median = (list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]
let setup = 0
let check
if (how === 'guards') {
  const started = process.hrtime.bigint()
  const {compiledEntryFor} = await import(${JSON.stringify(path.join(root, 'dist/driver/incremental/cache-entries.js'))})
  setup = Number(process.hrtime.bigint() - started) / 1e6
  check = () => values.every((value) => compiledEntryFor((value.record ?? value.reference).source)(value))
} else {
  const started = process.hrtime.bigint()
  const {Ajv2020} = await import('ajv/dist/2020.js')
  const load = (name) => JSON.parse(readFileSync(path.join(${JSON.stringify(root)}, 'schema', name + '.schema.json'), 'utf8'))
  const ajv = new Ajv2020({strict: false})
  ajv.addSchema(load('role'))
  const role = ajv.getSchema('https://roledoc.dev/schema/role.schema.json')
  const fragment = ajv.compile(load('fragment'))
  setup = Number(process.hrtime.bigint() - started) / 1e6
  const isRecord = (record) => record === null || (record.kind === 'fragment' ? fragment(record) : role(record))
  check = () => values.every((value) => isRecord(value.record) && (value.reference?.sections ?? []).every((section) => isRecord(section.role)))
}
const [first, valid] = time(check)
const warm = median(Array.from({length: 20}, () => time(check)[0]))
console.log(how.padEnd(6) + ' ' + values.length + ' entries, all valid: ' + valid + '; setup ' + setup.toFixed(1) + ' ms, first pass ' + first.toFixed(1) + ' ms, warm pass ' + warm.toFixed(1) + ' ms')
`

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-cache-checks-'))
try {
  const cache = path.join(work, 'cache')
  execFileSync(process.execPath, [path.join(root, 'dist/bin.js'), 'build', reference, '--out', path.join(work, 'out'), '--cache-dir', cache, '--quiet'])
  for (const how of ['guards', 'ajv']) {
    process.stdout.write(execFileSync(process.execPath, ['--input-type=module', '-e', child, cache, how], {cwd: root, encoding: 'utf8'}))
  }
} finally {
  rmSync(work, {recursive: true, force: true})
}
