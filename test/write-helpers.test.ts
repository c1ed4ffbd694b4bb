/**
 * Helpers of the writer and the cache: `writeText`, a string written as
 * UTF-8 through one reused buffer (how the cache writes the list of files
 * an output folder holds), and `OrderedLookup` (how a rebuild finds what
 * it wrote before).
 */
import {closeSync, mkdtempSync, openSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import {afterAll, describe, expect, it} from 'vitest'
import {writeText} from '../src/driver/fs.js'
import {OrderedLookup} from '../src/driver/incremental/written.js'

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

describe('OrderedLookup', () => {
  /** A lookup over `keys` that counts the keys it reads. */
  const over = (keys: readonly string[]): {lookup: OrderedLookup; reads: () => number} => {
    let reads = 0
    const lookup = new OrderedLookup(keys.length, (index) => {
      reads++
      return keys[index] as string
    })
    return {lookup, reads: () => reads}
  }

  it('finds entries asked in their order by reading one key each, without a map', () => {
    const keys = ['a', 'b', 'c', 'd']
    const {lookup, reads} = over(keys)
    expect(keys.map((key) => lookup.find(key))).toEqual([0, 1, 2, 3])
    expect(reads()).toBe(4)
  })

  it('finds entries asked out of order, added or missing, and goes on in order after each', () => {
    const {lookup, reads} = over(['a', 'b', 'c', 'd', 'e'])
    expect(lookup.find('a')).toBe(0)
    // A record removed: `b` is skipped; the map is made once.
    expect(lookup.find('c')).toBe(2)
    expect(reads()).toBe(2 + 5)
    expect(lookup.find('d')).toBe(3)
    expect(reads()).toBe(2 + 5 + 1)
    // A record added: not there, and the next is still found in order.
    expect(lookup.find('new')).toBeUndefined()
    expect(lookup.find('e')).toBe(4)
    expect(lookup.find('a')).toBe(0)
    expect(over([]).lookup.find('a')).toBeUndefined()
  })

  it('finds a key that comes up twice where it comes next, else (by the map) where it comes first', () => {
    const twice = over(['x', 'x']).lookup
    expect([twice.find('x'), twice.find('x')]).toEqual([0, 1])
    expect(over(['q', 'x', 'x']).lookup.find('x')).toBe(1)
  })
})
