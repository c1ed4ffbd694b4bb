/**
 * Vitest's global setup: the tests read the real docs in `../shared` beside
 * the clone (the corpus, and the seed that fixtures/ copies). Without them,
 * one clear message instead of a score of failures about missing files.
 */
import {existsSync} from 'node:fs'
import path from 'node:path'
import {corpus} from './paths.js'

export default function checkCorpus(): void {
  // The seed sits beside the corpus (test/seed.test.ts reads it there).
  const seeds = path.resolve(corpus, '../seeds')
  const missing = [corpus, seeds].filter((folder) => !existsSync(folder))
  if (missing.length === 0) return
  throw new Error(
    `The tests read the real docs in ${missing.join(' and ')}, which ${missing.length === 1 ? 'is' : 'are'} missing. ` +
      'Clone roledoc beside the shared folder (../shared/corpus and ../shared/seeds), or set ROLEDOC_CORPUS to a corpus folder that has seeds/ beside it.'
  )
}
