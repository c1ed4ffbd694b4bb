/**
 * How diagnostics are printed: `stylish` (one line each, `path:line:column
 * severity message rule-id`, coloured on a terminal), `json` (one array) or
 * `github` (GitHub Actions workflow commands, so messages show on the pull
 * request's lines).
 */
import type {VFileMessage} from 'vfile-message'
import {formatMessage, severityOf} from '../compile/messages.js'

export type ReporterName = 'stylish' | 'json' | 'github'

export const reporterNames: readonly ReporterName[] = ['stylish', 'json', 'github']

export interface ReportSettings {
  /** Colour the severity (a terminal, and `NO_COLOR` unset). */
  color: boolean
}

/** Print `messages` with the reporter `name`; `''` when there is nothing to print (except `json`: `[]`). */
export function formatMessages(messages: readonly VFileMessage[], name: ReporterName, settings: ReportSettings): string {
  if (name === 'json') return JSON.stringify(messages.map(toJson), null, 2) + '\n'
  let text = ''
  for (const message of messages) {
    text += (name === 'github' ? githubCommand(message) : stylishLine(message, settings.color)) + '\n'
  }
  return text
}

/** A message as plain data, for `--reporter json`. */
export interface JsonMessage {
  file: string
  line: number
  column: number
  endLine: number | null
  endColumn: number | null
  severity: 'error' | 'warning' | 'info'
  ruleId: string | null
  source: string | null
  message: string
  actual: string | null
  expected: string[] | null
  note: string | null
}

function toJson(message: VFileMessage): JsonMessage {
  return {
    file: message.file ?? '',
    line: message.line ?? 1,
    column: message.column ?? 1,
    endLine: message.place && 'end' in message.place ? message.place.end.line : null,
    endColumn: message.place && 'end' in message.place ? message.place.end.column : null,
    severity: severityOf(message),
    ruleId: message.ruleId ?? null,
    source: message.source ?? null,
    message: message.reason,
    actual: message.actual ?? null,
    expected: message.expected ?? null,
    note: message.note ?? null
  }
}

const colors = {error: '\u001B[31m', warning: '\u001B[33m', info: '\u001B[36m'} as const
const reset = '\u001B[39m'

function stylishLine(message: VFileMessage, color: boolean): string {
  const line = formatMessage(message)
  if (!color) return line
  const severity = severityOf(message)
  return line.replace(`  ${severity}  `, `  ${colors[severity]}${severity}${reset}  `)
}

/** `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=rule-id::message`. */
function githubCommand(message: VFileMessage): string {
  const severity = severityOf(message)
  const command = severity === 'info' ? 'notice' : severity
  const properties = [`file=${escapeProperty(message.file ?? '')}`, `line=${message.line ?? 1}`, `col=${message.column ?? 1}`]
  if (message.place && 'end' in message.place) {
    properties.push(`endLine=${message.place.end.line}`, `endColumn=${message.place.end.column}`)
  }
  properties.push(`title=${escapeProperty(`roledoc ${message.ruleId ?? ''}`.trim())}`)
  return `::${command} ${properties.join(',')}::${escapeData(message.reason)}`
}

/** Escaping as the Actions toolkit does for a command's message. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** Escaping as the Actions toolkit does for a command's properties. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}
