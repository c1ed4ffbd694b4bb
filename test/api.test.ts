/** The public API: what `import … from 'roledoc'` gives. Changing it is a release note. */
import {expect, it} from 'vitest'
import * as roledoc from '../src/index.js'

it('exports exactly these names', () => {
  expect(Object.keys(roledoc).sort()).toEqual([
    'Cache',
    'UsageError',
    'assemble',
    'build',
    'checkDataset',
    'compileFile',
    'compileRole',
    'compileTree',
    'countMessages',
    'createActionIndex',
    'createIndex',
    'datasetFiles',
    'diffRecords',
    'driftRecords',
    'emitCsv',
    'emitDataset',
    'emitDiff',
    'emitDrift',
    'emitJson',
    'emitSite',
    'emitYaml',
    'findInputs',
    'formatMessage',
    'isPrivilegeChange',
    'loadSide',
    'parseGraphExport',
    'remarkRoledoc',
    'rules',
    'writeDataset'
  ])
})
