/**
 * Per-rule severities, as a config sets them (`"rules": {"unreferenced-include":
 * "off"}`), and `--strict`: applied to the messages once they are all
 * reported, so that a file's messages are stored as compiled (in the cache)
 * and get whatever severities the run that shows them asks for. Pure.
 */
import type {VFileMessage} from 'vfile-message'
import {rules, severityOf, type RuleId, type Severity} from './messages.js'

/** What a rule may be set to: a severity, or `off` (its messages are dropped). */
export type RuleSetting = Severity | 'off'

/** A severity for some rules; the others keep theirs (`rules` in `messages.ts`). */
export type RuleSettings = Partial<Record<RuleId, RuleSetting>>

/**
 * The values a config may give a rule, and the setting each one means:
 * ESLint's and markdownlint's words, `warn` and `warning` alike.
 */
export const ruleSettingNames: ReadonlyMap<string, RuleSetting> = new Map([
  ['off', 'off'],
  ['info', 'info'],
  ['warn', 'warning'],
  ['warning', 'warning'],
  ['error', 'error']
])

/**
 * Whether `rule` may be set to `setting`: any rule may be raised, but an
 * error may not be lowered or turned off. An error means that the record
 * is wrong or lacks what the message is about (a row left out, a file
 * skipped), and the build writes nothing; lowering it would write that
 * dataset as if it were whole.
 */
export function maySet(rule: RuleId, setting: RuleSetting): boolean {
  return rules[rule].severity !== 'error' || setting === 'error'
}

/**
 * Check settings given through the API (the config file is checked with
 * `invalid-config` messages instead): a `TypeError` for an unknown rule, a
 * value that is no setting, or an error rule lowered.
 */
export function assertRuleSettings(settings: Readonly<Record<string, unknown>>): asserts settings is RuleSettings {
  for (const [rule, setting] of Object.entries(settings)) {
    if (!isRuleId(rule)) throw new TypeError(`Unknown rule \`${rule}\` in \`rules\`; the rule IDs are the keys of \`rules\` exported by roledoc`)
    if (setting !== 'off' && setting !== 'info' && setting !== 'warning' && setting !== 'error') {
      throw new TypeError(`Expected the setting of \`${rule}\` to be 'off', 'info', 'warning' or 'error', found ${JSON.stringify(setting)}`)
    }
    if (!maySet(rule, setting)) throw new TypeError(`\`${rule}\` is an error and cannot be set to '${setting}'`)
  }
}

export interface SeverityOptions {
  /** Each rule's setting (default: none). */
  rules?: RuleSettings
  /** Warnings (after `rules`) become errors, as `--strict` asks (default: false). */
  strict?: boolean
}

/** Messages with the severities a run asks for, and how many of their errors are warnings that `strict` made errors. */
export interface AppliedSeverities {
  messages: VFileMessage[]
  /** Errors that are warnings made errors by `strict`. */
  strictErrors: number
}

/**
 * `messages` with each rule's setting applied (`off`: left out), then, with
 * `strict`, every warning as an error. A message whose severity changes is
 * a copy; the others are the same objects, in the same order.
 */
export function applySeverities(messages: readonly VFileMessage[], options: SeverityOptions): AppliedSeverities {
  const settings = options.rules ?? {}
  const applied: VFileMessage[] = []
  let strictErrors = 0
  for (const message of messages) {
    const setting = isRuleId(message.ruleId) ? settings[message.ruleId] : undefined
    if (setting === 'off') continue
    let severity = setting ?? severityOf(message)
    if (options.strict && severity === 'warning') {
      severity = 'error'
      strictErrors++
    }
    applied.push(severity === severityOf(message) ? message : withSeverity(message, severity))
  }
  return {messages: applied, strictErrors}
}

/** Whether `value` is one of roledoc's rule IDs. */
export function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && Object.hasOwn(rules, value)
}

/** A copy of `message` with `severity` (as `report` marks it: `fatal` true, false or undefined). */
function withSeverity(message: VFileMessage, severity: Severity): VFileMessage {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(message) as object) as VFileMessage, message)
  copy.fatal = severity === 'error' ? true : severity === 'warning' ? false : undefined
  return copy
}
