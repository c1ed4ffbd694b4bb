/** Inputs a fuzz campaign once broke roledoc with, replayed on every run. */
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {checkCompiles} from './helpers/fuzz.js'
import {fuzzFixtures} from './helpers/fuzz-run.js'

const saved = existsSync(fuzzFixtures) ? readdirSync(fuzzFixtures).filter((name) => name.endsWith('.md')).sort() : []

describe('saved fuzz inputs', () => {
  it('are files a campaign saved (test/fuzz-fixtures/*.md)', () => {
    expect(saved.every((name) => /^[\da-f]{12}\.md$/.test(name))).toBe(true)
  })
  for (const name of saved) {
    it(name, () => {
      checkCompiles(readFileSync(path.join(fuzzFixtures, name)), name)
    })
  }
})
