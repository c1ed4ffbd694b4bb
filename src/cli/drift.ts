/**
 * `roledoc drift --graph FILE DOCS`: compare the docs with a Microsoft Graph
 * export of the role definitions. Reads the two inputs, prints the drift;
 * the comparison itself is `driftRecords` (pure).
 */
import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import {parseArgs} from 'node:util'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {asUsageError, loadSide, UsageError, type SideKind} from '../driver/build.js'
import {exitCodes, type CliIo} from './index.js'
import {driftRecords} from '../compare/drift.js'
import {maxGraphExportSize, parseGraphExport, reportTooLarge, type GraphRole} from '../compare/graph-export/index.js'
import {driftFormats, emitDrift, type DriftEmitOptions, type DriftFormat} from '../emit/drift.js'
import {compareMessages, formatMessage} from '../compile/messages.js'

export const driftHelp = `Usage: roledoc drift --graph FILE DOCS [options]

Compare the role docs with the live role definitions. FILE is a JSON export
of Microsoft Graph \`GET /roleManagement/directory/roleDefinitions\` (the
response, \`{"value": [...]}\`, or a bare array of role definitions). DOCS is
a Markdown file, a docs folder or a dataset folder written by \`roledoc build\`.

Roles are matched by template ID. Reported: roles only in the docs; built-in
roles only in Graph (custom roles are ignored); per role, actions documented
but not granted (with file:line:column) and granted but not documented
(compared exactly, wildcards not expanded); display names that differ; and
the role's privileged badge against Graph's isPrivileged.

Options:
      --graph FILE  The Graph export (required)
  -f, --format F    text (default), md (a pull-request comment) or json
      --exit-code   Exit 1 when there is drift, 0 when there is none
      --debug       Print stack traces of internal failures
  -h, --help        Show this help

Exit codes: 0 (with --exit-code: no drift), 1 drift (with --exit-code only),
2 usage error, an invalid Graph export, docs with compile errors, or internal
failure.

Examples:
  az rest --url https://graph.microsoft.com/v1.0/roleManagement/directory/roleDefinitions > roles.json
  roledoc drift --graph roles.json docs/identity/role-based-access-control
  roledoc drift --graph roles.json dataset --format md
  roledoc drift --graph roles.json dataset --format json --exit-code
`

/** Run `roledoc drift` with `argv` (the arguments after `drift`); returns the exit code. */
export async function runDrift(argv: readonly string[], io: CliIo): Promise<number> {
  const {values, positionals} = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      graph: {type: 'string'},
      format: {type: 'string', short: 'f', default: 'text'},
      'exit-code': {type: 'boolean', default: false},
      debug: {type: 'boolean', default: false},
      help: {type: 'boolean', short: 'h', default: false}
    }
  })
  if (values.help) {
    io.stdout(driftHelp)
    return exitCodes.ok
  }
  const format = values.format as DriftFormat
  if (!driftFormats.includes(format)) {
    throw new UsageError(`Unknown --format \`${values.format}\`; use one of ${driftFormats.join(', ')}`)
  }
  const graphPath = values.graph
  if (graphPath === undefined || graphPath === '') {
    throw new UsageError('`roledoc drift` needs `--graph FILE`, a JSON export of `GET /roleManagement/directory/roleDefinitions`')
  }
  const [docsPath, ...extra] = positionals
  if (docsPath === undefined || extra.length > 0) {
    throw new UsageError(`\`roledoc drift\` takes one DOCS path (a Markdown file, a docs folder or a dataset folder); got ${positionals.length}`)
  }

  const graph = await readGraph(graphPath, io.cwd)
  const docs = await loadSide(docsPath, io.cwd)
  const docsErrors = docs.messages.filter((message) => message.fatal === true)
  const errors = [...graph.messages.sort(compareMessages), ...docsErrors]
  if (errors.length > 0 || graph.roles === null) {
    for (const message of errors) io.stderr(formatMessage(message) + '\n')
    io.stderr(`roledoc: cannot compare: ${describeErrors(graph.messages.length, docsErrors.length)}; fix them and run again\n`)
    return exitCodes.failure
  }

  const result = driftRecords(docs.records, graph.roles, {docs: docsPath, graph: graphPath})
  io.stdout(emitDrift(result, format, docsRootOf(docsPath, docs.kind)))
  return values['exit-code'] && result.summary.total > 0 ? exitCodes.errors : exitCodes.ok
}

interface ReadGraph {
  roles: GraphRole[] | null
  messages: VFileMessage[]
}

/** Read and check the Graph export; a file too large is reported without being read. */
async function readGraph(input: string, cwd: string): Promise<ReadGraph> {
  const absolute = path.resolve(cwd, input)
  let stats
  try {
    stats = await stat(absolute)
  } catch {
    throw new UsageError(`Graph export not found: ${input}; pass the JSON file saved from \`GET /roleManagement/directory/roleDefinitions\``)
  }
  if (!stats.isFile()) {
    throw new UsageError(`Graph export ${input} is not a file; pass the JSON file saved from \`GET /roleManagement/directory/roleDefinitions\``)
  }
  if (stats.size > maxGraphExportSize) {
    const file = new VFile({path: input})
    reportTooLarge(file, stats.size)
    return {roles: null, messages: [...file.messages]}
  }
  let bytes: Buffer
  try {
    bytes = await readFile(absolute)
  } catch (error) {
    throw asUsageError(error, `Could not read the Graph export ${input}`, 'make it readable')
  }
  const file = new VFile({path: input, value: bytes})
  const roles = parseGraphExport(file)
  return {roles, messages: [...file.messages]}
}

/**
 * Where the docs' `source.path`s start, as given on the command line: the
 * folder, or a file's folder; unknown for a dataset (its paths are relative
 * to the folder it was built from).
 */
function docsRootOf(input: string, kind: SideKind): DriftEmitOptions {
  const posix = input.split(path.sep).join('/')
  if (kind === 'docs') return {docsRoot: posix}
  if (kind === 'file') return {docsRoot: path.posix.dirname(posix)}
  return {}
}

function describeErrors(graphErrors: number, docsErrors: number): string {
  const parts: string[] = []
  if (graphErrors > 0) parts.push(`${graphErrors} ${graphErrors === 1 ? 'error' : 'errors'} in the Graph export`)
  if (docsErrors > 0) parts.push(`${docsErrors} ${docsErrors === 1 ? 'error' : 'errors'} in the docs (see \`roledoc build\`)`)
  return parts.join(' and ')
}
