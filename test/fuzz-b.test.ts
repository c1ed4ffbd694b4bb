/**
 * Property-based tests over mutated real files (part b; the parts run in
 * parallel). `npm run fuzz` runs a longer campaign.
 */
import {describe, it} from 'vitest'
import {fuzz} from './helpers/fuzz-run.js'

describe('compiling mutated real files', () => {
  it('never throws, never hangs, and places every message inside the file', {timeout: 600_000}, () => {
    fuzz('b', 1128)
  })
})
