/**
 * `roledoc drift --graph FILE DOCS`: compare the docs with a Microsoft Graph
 * export of the role definitions. The driver reads both and compares them
 * (`driftSides`); this prints the drift.
 */
import {UsageError} from '../driver/errors.js'
import {driftSides} from '../driver/sides.js'
import {driftFormats, emitDrift} from '../emit/drift.js'
import {count} from '../emit/style.js'
import {parseFormat, parseReporter, readCommandLine, reportOptions} from './args.js'
import {exitCodes, printMessages, type CliIo} from './io.js'

export const driftHelp = `Usage: roledoc drift --graph FILE DOCS [options]

Compare the role docs with the live role definitions. FILE is a JSON export
of Microsoft Graph \`GET /roleManagement/directory/roleDefinitions\` (the
response, \`{"value": [...]}\`, or a bare array of role definitions). DOCS is
a Markdown file, a docs folder or a dataset folder written by \`roledoc build\`.

Roles are matched by template ID. Reported, in this order: the role's
privileged badge against Graph's isPrivileged; per role, actions documented
but not granted (with file:line:column) and granted but not documented
(compared exactly, wildcards not expanded); display names that differ; roles
only in the docs, and built-in roles only in Graph (custom roles are
ignored).

Options:
      --graph FILE  The Graph export (required)
  -f, --format F    text (default), md (a pull-request comment) or json
      --exit-code   Exit 1 when there is drift, 0 when there is none
      --reporter NAME  How errors in the export or the docs are printed:
                    stylish, json or github
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
  const options = {graph: {type: 'string'}, ...reportOptions, reporter: {type: 'string'}} as const
  const parsed = readCommandLine('drift', options, argv, driftHelp, io)
  if (parsed === null) return exitCodes.ok
  const {values, positionals} = parsed
  const format = parseFormat(values.format, driftFormats)
  const reporter = values.reporter === undefined ? 'stylish' : parseReporter(values.reporter)
  const graphPath = values.graph
  if (graphPath === undefined || graphPath === '') {
    throw new UsageError('`roledoc drift` needs `--graph FILE`, a JSON export of `GET /roleManagement/directory/roleDefinitions`')
  }
  const [docsPath, ...extra] = positionals
  if (docsPath === undefined || extra.length > 0) {
    throw new UsageError(`\`roledoc drift\` takes one DOCS path (a Markdown file, a docs folder or a dataset folder); got ${positionals.length}`)
  }

  const run = await driftSides(graphPath, docsPath, io.cwd)
  if (run.result === null) {
    printMessages([...run.graphErrors, ...run.docsErrors], reporter, false, io)
    io.stderr(`roledoc: cannot compare: ${describeErrors(run.graphErrors.length, run.docsErrors.length)}; fix them and run again\n`)
    return exitCodes.failure
  }
  io.stdout(emitDrift(run.result, format, run.places))
  return values['exit-code'] && run.result.summary.total > 0 ? exitCodes.errors : exitCodes.ok
}

function describeErrors(graphErrors: number, docsErrors: number): string {
  const parts: string[] = []
  if (graphErrors > 0) parts.push(`${count(graphErrors, 'error')} in the Graph export`)
  if (docsErrors > 0) parts.push(`${count(docsErrors, 'error')} in the docs (see \`roledoc build\`)`)
  return parts.join(' and ')
}
