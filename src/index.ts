/**
 * roledoc's library entry: compile role include files into records.
 */
export {assemble} from './compile/assemble.js'
export type {AssembleUnit} from './compile/assemble.js'
export {build, checkDataset, countMessages, findInputs, loadSide, UsageError, writeDataset} from './driver/build.js'
export type {BuildOptions, BuildResult, BuildSummary, CheckResult, CompileStats, InputFile, LoadedSide, PreviousFiles, SideKind, WriteOptions, WrittenFile, WrittenParts} from './driver/build.js'
export {Cache} from './driver/incremental/cache.js'
export {compileFile, compileRole, compileTree} from './compile/compile.js'
export type {CompiledFile, CompileOptions, CompileResult, CompileTreeOptions} from './compile/compile.js'
export {default as remarkRoledoc} from './plugin.js'
export type {RemarkRoledocOptions, RoledocData} from './plugin.js'
export {diffRecords, isPrivilegeChange} from './compare/diff.js'
export type {CalloutText, Change, ChangeKind, DiffOptions, DiffResult, DiffSummary, RoleRef} from './compare/diff.js'
export {driftRecords} from './compare/drift.js'
export type {Drift, DriftKind, DriftOptions, DriftResult, DriftSummary} from './compare/drift.js'
export {parseGraphExport} from './compare/graph-export/index.js'
export type {GraphRole} from './compare/graph-export/index.js'
export {emitCsv} from './emit/csv.js'
export {emitDrift} from './emit/drift.js'
export {emitSite} from './emit/site.js'
export type {SiteOptions} from './emit/site.js'
export {emitDiff} from './emit/diff.js'
export type {DiffFormat} from './emit/diff.js'
export {createActionIndex, createIndex, datasetFiles, emitDataset} from './emit/dataset.js'
export type {ActionEntry, Dataset, DatasetFile, DatasetFilesOptions, DatasetIndex, IndexEntry, Provenance, RecordPart} from './emit/dataset.js'
export {emitJson} from './emit/json.js'
export {emitYaml} from './emit/yaml.js'
export {formatMessage, rules} from './compile/messages.js'
export type {RuleId, Severity} from './compile/messages.js'
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
