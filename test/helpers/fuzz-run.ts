/**
 * One fuzz campaign: `ROLEDOC_FUZZ_RUNS` cases (default 5,000 per part, so
 * the suite runs 10,000). A failing input is shrunk by fast-check and, with
 * `ROLEDOC_FUZZ_SAVE=1` (as `npm run fuzz` sets), saved under
 * `test/fuzz-fixtures/` so the suite replays it from then on.
 */
import {createHash} from 'node:crypto'
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import {checkCompiles, mutated} from './fuzz.js'
import {root} from './paths.js'

export const fuzzFixtures = path.join(root, 'test/fuzz-fixtures')

export function fuzz(part: string, seed: number): void {
  const runs = Number(process.env['ROLEDOC_FUZZ_RUNS'] ?? 5000)
  const details = fc.check(
    fc.property(mutated, ({name, bytes}) => {
      checkCompiles(bytes, name)
    }),
    {numRuns: runs, seed: campaignSeed(seed)}
  )
  if (!details.failed) return
  const example = details.counterexample?.[0]
  let saved = ''
  if (example && process.env['ROLEDOC_FUZZ_SAVE'] === '1') {
    mkdirSync(fuzzFixtures, {recursive: true})
    const file = path.join(fuzzFixtures, `${createHash('sha256').update(example.bytes).digest('hex').slice(0, 12)}.md`)
    writeFileSync(file, example.bytes)
    saved = `\nSaved the input as ${path.relative(root, file)}.`
  }
  throw new Error(`Fuzz part ${part} failed after ${details.numRuns} runs (seed ${details.seed}, path ${details.counterexamplePath}): ${String(details.errorInstance)}${saved}`)
}

/** `ROLEDOC_FUZZ_SEED`: a number, or `random` for a new campaign each time; default: the part's fixed seed. */
function campaignSeed(fixed: number): number {
  const value = process.env['ROLEDOC_FUZZ_SEED']
  if (value === 'random') return Math.floor(Math.random() * 2 ** 31)
  return value === undefined ? fixed : Number(value)
}
