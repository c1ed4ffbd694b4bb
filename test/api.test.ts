/** The public API: what `import … from 'roledoc'` gives. Changing it is a release note. */
import {expect, it} from 'vitest'
import * as roledoc from '../src/index.js'

it('exports exactly these names', () => {
  expect(Object.keys(roledoc).sort()).toEqual([
    'UsageError',
    'assemble',
    'build',
    'compileFile',
    'compileRole',
    'countMessages',
    'createActionIndex',
    'createIndex',
    'emitCsv',
    'emitDataset',
    'emitJson',
    'emitYaml',
    'findInputs',
    'formatMessage',
    'rules',
    'writeDataset'
  ])
})
