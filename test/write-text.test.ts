/**
 * `writeText`: a string written as UTF-8 through one reused buffer (how the
 * cache writes the list of files an output folder holds).
 */
import {closeSync, mkdtempSync, openSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import {afterAll, describe, expect, it} from 'vitest'
import {writeText} from '../src/build/fs.js'

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-write-text-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

/** The bytes of a file that `texts` were written to, one call each. */
function written(texts: readonly string[]): Buffer {
  const file = path.join(work, 'out')
  const fd = openSync(file, 'w')
  try {
    for (const text of texts) writeText(fd, text)
  } finally {
    closeSync(fd)
  }
  return readFileSync(file)
}

describe('writeText', () => {
  it('writes exactly the UTF-8 of the text, whatever its length and characters', () => {
    fc.assert(
      fc.property(fc.array(fc.string({unit: 'binary', maxLength: 200})), (texts) => {
        expect(written(texts)).toEqual(Buffer.from(texts.join('')))
      }),
      {numRuns: 300}
    )
  })

  it('never splits a character across two writes of its buffer (64 KiB), and writes what is past it', () => {
    // Characters of 1, 2, 3 and 4 bytes (a surrogate pair), each in turn at every offset around the buffer's end.
    for (const character of ['a', 'é', '€', '😀']) {
      for (let shift = 0; shift < 4; shift++) {
        const text = 'x'.repeat(65_536 - 4 + shift) + character.repeat(3) + 'end'
        expect(written([text])).toEqual(Buffer.from(text))
      }
    }
    const long = '€😀a'.repeat(100_000)
    expect(written([long])).toEqual(Buffer.from(long))
    expect(written(['', ''])).toEqual(Buffer.alloc(0))
  })
})
