/**
 * roledoc's library entry, what `import … from 'roledoc'` gives (pinned by
 * `test/api.test.ts`): compile role docs into records (one file, a tree in
 * a unified pipeline, or a whole docs folder in memory), compare two sets
 * of records or the records with a Graph export, and write them as the
 * dataset's formats. The driver's machinery (cache, writer, lock) is not
 * part of it: `roledoc build` is how a dataset folder is written.
 */
export {compileFile, compileRole, compileTree} from './compile/compile.js'
export type {
  CompiledContent,
  CompiledFile,
  CompiledFragment,
  CompiledMessages,
  CompiledReference,
  CompiledRole,
  CompiledSkipped,
  CompileInput,
  CompileOptions,
  CompileResult,
  CompileTreeOptions
} from './compile/compile.js'
export {default as remarkRoledoc} from './plugin.js'
export type {RemarkRoledocOptions, RoledocData} from './plugin.js'
export {assemble} from './compile/assemble.js'
export type {AssembleUnit} from './compile/assemble.js'
export {build} from './driver/build.js'
export type {BuildOptions, BuildResult, BuildSummary, CompileStats} from './driver/build.js'
export {formatMessage, rules} from './compile/messages.js'
export type {RuleId, Severity} from './compile/messages.js'
export type {RuleSetting, RuleSettings} from './compile/severities.js'

export {diffRecords, isPrivilegeChange} from './compare/diff.js'
export type {DiffOptions} from './compare/diff.js'
export type {CalloutText, Change, ChangeKind, DiffResult, DiffSummary, RoleRef} from './compare/change.js'
export {emitDiff} from './emit/diff.js'
export type {DiffEmitOptions, DiffFormat} from './emit/diff.js'
export {parseGraphExport} from './compare/graph-export/index.js'
export type {GraphExport, GraphRole} from './compare/graph-export/index.js'
export {driftRecords} from './compare/drift.js'
export type {DocsPlace, Drift, DriftKind, DriftOptions, DriftResult, DriftRole, DriftSummary} from './compare/drift.js'
export {emitDrift} from './emit/drift.js'
export type {DriftEmitOptions, DriftFormat} from './emit/drift.js'

export {createActionIndex, createIndex, emitDataset} from './emit/dataset.js'
export type {ActionEntry, Dataset, DatasetFile, DatasetFormat, DatasetIndex, IndexEntry, Provenance, RecordPart} from './emit/dataset.js'
export {emitCsv} from './emit/csv.js'
export {emitJson} from './emit/json.js'
export {emitYaml} from './emit/yaml.js'
export {emitSite} from './emit/site.js'
export type {SiteOptions} from './emit/site.js'

export type {
  Callout,
  DatasetRecord,
  FileKind,
  FragmentRecord,
  FrontMatter,
  IncludeRef,
  KnownCalloutType,
  Permission,
  ReferencePage,
  ReferenceSection,
  RoleRecord,
  RolesTableRow,
  SourceInfo,
  SourcePoint,
  TableData
} from './types.js'
