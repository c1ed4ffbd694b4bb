/**
 * The public API: what `import … from 'roledoc'` gives. Changing it is a
 * release note. The driver's machinery (the cache, the writer, the check,
 * the lock, its errors) is not in it: `roledoc build` writes datasets.
 */
import {expect, it} from 'vitest'
import * as roledoc from '../src/index.js'

it('exports exactly these names', () => {
  expect(Object.keys(roledoc).sort()).toEqual([
    'assemble',
    'build',
    'compileFile',
    'compileRole',
    'compileTree',
    'createActionIndex',
    'createIndex',
    'diffRecords',
    'driftRecords',
    'emitCsv',
    'emitDataset',
    'emitDiff',
    'emitDrift',
    'emitJson',
    'emitSite',
    'emitYaml',
    'formatMessage',
    'isPrivilegeChange',
    'parseGraphExport',
    'remarkRoledoc',
    'rules'
  ])
})

it('builds in memory without the options of the CLI’s cache', async () => {
  const {fixtures} = await import('./helpers/paths.js')
  const result = await roledoc.build({inputs: [fixtures]})
  expect(result.records.map((record) => record.id)).toEqual(['edge-case-role', 'partner-tier1-support'])
  expect(Object.keys(result).sort()).toEqual(['dataset', 'files', 'messages', 'records', 'stats', 'summary'])
})
