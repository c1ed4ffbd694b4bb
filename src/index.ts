/**
 * roledoc's library entry: compile role include files into records.
 */
export {build, findInputs, writeDataset, countMessages, UsageError} from './build.js'
export type {BuildOptions, BuildResult, InputFile} from './build.js'
export {compileRole} from './compile.js'
export type {CompileOptions, CompileResult} from './compile.js'
export {createIndex, emitDataset} from './emit/dataset.js'
export type {Dataset} from './emit/dataset.js'
export {emitJson} from './emit/json.js'
export {emitYaml} from './emit/yaml.js'
export {formatMessage, rules} from './messages.js'
export type {RuleId, Severity} from './messages.js'
export type {
  Callout,
  FrontMatter,
  IndexEntry,
  KnownCalloutType,
  Permission,
  RoleRecord,
  SourceInfo,
  SourcePoint
} from './types.js'
