/**
 * The config file: `roledoc.config.json`, or a `roledoc` key in
 * `package.json`, in the working folder (or the file `--config` names).
 * Validated with messages at the right `line:column`; flags override it.
 */
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {parseTree, type Node as JsonNode, type ParseError} from 'jsonc-parser'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {createLocator, tooDeepAt} from '../compile/json-source.js'
import {report, rules as ruleTable} from '../compile/messages.js'
import {isRuleId, maySet, ruleSettingNames, type RuleSettings} from '../compile/severities.js'
import {reporterNames, type ReporterName} from '../emit/reporters.js'
import {closestName} from '../emit/style.js'
import {asUsageError, UsageError} from './errors.js'
import {datasetFormats, type DatasetFormat} from '../emit/dataset.js'

export interface Config {
  /** Files or folders to compile. */
  inputs?: string[]
  /** Output folder. */
  out?: string
  /** Which dataset files to write (`index.json` always is). */
  formats?: DatasetFormat[]
  /** Treat warnings as errors. */
  strict?: boolean
  /** How diagnostics are printed. */
  reporter?: ReporterName
  /** Print errors only. */
  quiet?: boolean
  /** Skip files larger than this many bytes. */
  maxFileSize?: number
  /** Stop and report a file that takes longer than this many milliseconds to compile. */
  fileTimeout?: number
  /** A severity (or `off`) for some rules. */
  rules?: RuleSettings
}

/** The config file names, in the order they are looked for. */
export const configFileNames = ['roledoc.config.json', 'package.json'] as const

/** Where a config's values are reported. */
interface Context {
  file: VFile
  where: (offset: number) => {line: number; column: number}
}

type Check = (node: JsonNode, context: Context, key: string) => unknown

/** The config read: its settings (`{}` when there is no config file), or the file that is not valid and its messages. */
export type LoadedConfig = {config: Config} | {invalid: string; messages: VFileMessage[]}

/**
 * Read the config: the file `explicit` names (relative to `cwd`), else the
 * first of `configFileNames` there that holds one. A file `explicit` names
 * that is missing or unreadable is a `UsageError`.
 */
export async function loadConfig(explicit: string | undefined, cwd: string): Promise<LoadedConfig> {
  const candidates = explicit === undefined ? [...configFileNames] : [explicit]
  for (const name of candidates) {
    let text: string
    try {
      text = await readFile(path.resolve(cwd, name), 'utf8')
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
      if (missing && explicit === undefined) continue
      if (missing) throw new UsageError(`Config file not found: ${explicit}`)
      throw asUsageError(error, `Could not read the config file ${name}`, 'make it readable')
    }
    const file = new VFile({path: name, value: text})
    const config = parseConfig(file, path.basename(name) === 'package.json')
    if (config === undefined) continue
    if (config === null) return {invalid: name, messages: file.messages}
    return {config}
  }
  return {config: {}}
}

const fields: Record<keyof Config, Check> = {
  inputs: (node, context, key) => stringList(node, context, key, undefined),
  out: text,
  formats: (node, context, key) => stringList(node, context, key, datasetFormats),
  strict: flag,
  reporter: (node, context, key) => oneOf(node, context, key, reporterNames),
  quiet: flag,
  maxFileSize: (node, context, key) => positiveInteger(node, context, key, 'bytes'),
  fileTimeout: (node, context, key) => positiveInteger(node, context, key, 'milliseconds'),
  rules: ruleSettings
}

/**
 * Read the config in `file` (its value is the JSON text). For a
 * `package.json`, the config is its `roledoc` key, and a file without one
 * gives `undefined`. Returns `null` (and reports `invalid-config`) when the
 * config is not valid.
 */
export function parseConfig(file: VFile, fromPackage: boolean): Config | null | undefined {
  // A byte order mark is not part of the JSON (editors on Windows write one); places are counted after it.
  const text = String(file.value).replace(/^\uFEFF/, '')
  const where = createLocator(text)
  const deep = tooDeepAt(text, maxDepth)
  if (deep !== undefined) {
    report(file, 'invalid-config', `Expected JSON nested at most ${maxDepth} levels deep, found deeper nesting; a roledoc config nests 2 levels`, where(deep))
    return null
  }
  const errors: ParseError[] = []
  const tree = parseTree(text, errors, {allowTrailingComma: false, disallowComments: true})
  const first = errors[0]
  if (first || !tree) {
    report(file, 'invalid-config', 'Expected JSON; fix the syntax', where(first?.offset ?? 0))
    return null
  }
  let node: JsonNode | undefined = tree
  if (fromPackage) {
    const found = uniqueProperty(tree, 'roledoc', {file, where})
    if (found === null) return null
    node = found
    if (!node) return undefined
  }
  if (node.type !== 'object') {
    report(file, 'invalid-config', `Expected the roledoc config to be an object, found ${node.type}`, where(node.offset))
    return null
  }
  const config: Config = {}
  let valid = true
  const seen = new Map<string, JsonNode>()
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? []
    if (!keyNode || !valueNode) continue
    const key = String(keyNode.value)
    const earlier = seen.get(key)
    if (earlier) {
      reportDuplicate(key, earlier, keyNode, {file, where})
      valid = false
      continue
    }
    seen.set(key, keyNode)
    const check = Object.hasOwn(fields, key) ? fields[key as keyof Config] : undefined
    if (!check) {
      const meant = closestName(key, Object.keys(fields))
      report(
        file,
        'invalid-config',
        `Unknown config key \`${key}\`; ${meant === undefined ? '' : `did you mean \`${meant}\`? `}expected one of ${Object.keys(fields).map((name) => `\`${name}\``).join(', ')}`,
        where(keyNode.offset)
      )
      valid = false
      continue
    }
    const value = check(valueNode, {file, where}, key)
    if (value === undefined) valid = false
    else Object.defineProperty(config, key, {value, enumerable: true, writable: true, configurable: true})
  }
  return valid ? config : null
}

function text(value: JsonNode, {file, where}: Context, key: string): string | undefined {
  if (value.type === 'string' && String(value.value) !== '') return String(value.value)
  report(file, 'invalid-config', `Expected \`${key}\` to be a non-empty string, found ${describe(value)}`, where(value.offset))
  return undefined
}

function positiveInteger(value: JsonNode, {file, where}: Context, key: string, unit: string): number | undefined {
  if (value.type === 'number' && Number.isInteger(value.value) && Number(value.value) > 0) return Number(value.value)
  report(file, 'invalid-config', `Expected \`${key}\` to be a whole number of ${unit}, found ${describe(value)}`, where(value.offset))
  return undefined
}

function flag(value: JsonNode, {file, where}: Context, key: string): boolean | undefined {
  if (value.type === 'boolean') return value.value === true
  report(file, 'invalid-config', `Expected \`${key}\` to be true or false, found ${describe(value)}`, where(value.offset))
  return undefined
}

function oneOf<T extends string>(value: JsonNode, {file, where}: Context, key: string, allowed: readonly T[]): T | undefined {
  if (value.type === 'string' && (allowed as readonly string[]).includes(String(value.value))) return value.value as T
  report(
    file,
    'invalid-config',
    `Expected \`${key}\` to be one of ${allowed.map((name) => `"${name}"`).join(', ')}, found ${describe(value)}`,
    where(value.offset)
  )
  return undefined
}

function stringList(value: JsonNode, {file, where}: Context, key: string, allowed: readonly string[] | undefined): string[] | undefined {
  if (value.type !== 'array') {
    report(file, 'invalid-config', `Expected \`${key}\` to be a list of strings, found ${describe(value)}`, where(value.offset))
    return undefined
  }
  const list: string[] = []
  for (const item of value.children ?? []) {
    const ok = item.type === 'string' && String(item.value) !== '' && (!allowed || allowed.includes(String(item.value)))
    if (!ok) {
      report(
        file,
        'invalid-config',
        `Expected each item of \`${key}\` to be ${allowed ? `one of ${allowed.map((name) => `"${name}"`).join(', ')}` : 'a non-empty string'}, found ${describe(item)}`,
        where(item.offset)
      )
      return undefined
    }
    list.push(String(item.value))
  }
  return list
}

/**
 * `rules`: an object from rule IDs to `off`, `info`, `warn` (or `warning`)
 * or `error`. Every problem is reported (not only the first), each at its
 * place; an error rule may not be lowered (`maySet`).
 */
function ruleSettings(value: JsonNode, {file, where}: Context, key: string): RuleSettings | undefined {
  if (value.type !== 'object') {
    report(file, 'invalid-config', `Expected \`${key}\` to be an object of rule IDs and severities, such as {"unreferenced-include": "off"}, found ${describe(value)}`, where(value.offset))
    return undefined
  }
  const settings: RuleSettings = {}
  const seen = new Map<string, JsonNode>()
  let valid = true
  for (const property of value.children ?? []) {
    const [ruleNode, settingNode] = property.children ?? []
    if (!ruleNode || !settingNode) continue
    const rule = String(ruleNode.value)
    const earlier = seen.get(rule)
    seen.set(rule, earlier ?? ruleNode)
    if (earlier) reportDuplicate(rule, earlier, ruleNode, {file, where})
    else if (!isRuleId(rule)) reportUnknownRule(rule, ruleNode, {file, where})
    else {
      const setting = settingNode.type === 'string' ? ruleSettingNames.get(String(settingNode.value)) : undefined
      if (setting === undefined) {
        const names = [...ruleSettingNames.keys()].map((name) => `"${name}"`)
        report(file, 'invalid-config', `Expected the severity of \`${rule}\` to be ${names.slice(0, -1).join(', ')} or ${names.at(-1)}, found ${describe(settingNode)}`, where(settingNode.offset))
      } else if (!maySet(rule, setting)) {
        report(
          file,
          'invalid-config',
          `\`${rule}\` is an error and stays one: the record is wrong or lacks what it reports, and a build with errors writes nothing. It cannot be set to "${settingNode.value}"; fix the docs instead`,
          where(settingNode.offset)
        )
      } else {
        Object.defineProperty(settings, rule, {value: setting, enumerable: true, writable: true, configurable: true})
        continue
      }
    }
    valid = false
  }
  return valid ? settings : undefined
}

function reportUnknownRule(rule: string, node: JsonNode, {file, where}: Context): void {
  const meant = closestName(rule, Object.keys(ruleTable))
  report(
    file,
    'invalid-config',
    `Unknown rule \`${rule}\` in \`rules\`; ${meant === undefined ? 'the rule IDs are listed in docs/diagnostics.md' : `did you mean \`${meant}\`?`}`,
    where(node.offset)
  )
}

/**
 * The value of `key` in the object `node`; `undefined` when it has none, and
 * `null` (reported) when it has the key twice.
 */
function uniqueProperty(node: JsonNode, key: string, context: Context): JsonNode | undefined | null {
  if (node.type !== 'object') return undefined
  let found: {key: JsonNode; value: JsonNode} | undefined
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? []
    if (keyNode?.value !== key || !valueNode) continue
    if (found) {
      reportDuplicate(key, found.key, keyNode, context)
      return null
    }
    found = {key: keyNode, value: valueNode}
  }
  return found?.value
}

/** A key given twice: JSON readers differ on which one wins, so neither is taken. */
function reportDuplicate(key: string, first: JsonNode, again: JsonNode, {file, where}: Context): void {
  const {line, column} = where(first.offset)
  report(file, 'invalid-config', `Duplicate key \`${key}\` (first at ${line}:${column}); keep one`, where(again.offset))
}

/** How deep arrays and objects may nest in a config file (a roledoc config nests 2 levels; parsing is recursive). */
const maxDepth = 100

function describe(node: JsonNode): string {
  return node.type === 'string' ? JSON.stringify(node.value) : node.type === 'null' ? 'null' : node.type === 'array' || node.type === 'object' ? `an ${node.type}` : String(node.value)
}
