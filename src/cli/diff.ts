/** `roledoc diff OLD NEW`: the driver reads both sides and diffs them (`diffSides`); this prints the diff. */
import {UsageError} from '../driver/errors.js'
import {diffSides} from '../driver/sides.js'
import {diffFormats, emitDiff} from '../emit/diff.js'
import {count} from '../emit/style.js'
import {parseFormat, parseReporter, readCommandLine, reportOptions} from './args.js'
import {exitCodes, printMessages, type CliIo} from './io.js'

export const diffHelp = `Usage: roledoc diff OLD NEW [options]

Show what changed in meaning between OLD and NEW: roles added, removed or
renamed (matched by template ID, else by id); per role, permissions added or
removed, privilege changes, description, summary, callout, deprecation and
ms.date changes. Link paths, white space and row order are not changes.
Each side is a Markdown file, a docs folder (compiled in memory) or a dataset
folder written by \`roledoc build\`; the two may be of different kinds.

Options:
  -f, --format F       text (default), md (a pull-request comment) or json
      --exit-code      Exit 1 when there are changes, 0 when there are none
      --reporter NAME  How compile errors are printed: stylish, json or github
      --debug          Print stack traces of internal failures
  -h, --help           Show this help

Exit codes: 0 (with --exit-code: no changes), 1 changes (with --exit-code
only), 2 usage error, a side with compile errors, or internal failure.

Examples:
  roledoc diff old/permissions-reference-folder new/permissions-reference-folder
  roledoc diff dataset docs/identity/role-based-access-control --format md
  roledoc diff old.md new.md --format json --exit-code
`

/** Run `roledoc diff` with `argv` (the arguments after `diff`); returns the exit code. */
export async function runDiff(argv: readonly string[], io: CliIo): Promise<number> {
  const options = {...reportOptions, reporter: {type: 'string'}} as const
  const parsed = readCommandLine('diff', options, argv, diffHelp, io)
  if (parsed === null) return exitCodes.ok
  const {values, positionals} = parsed
  const format = parseFormat(values.format, diffFormats)
  const [oldPath, newPath, ...extra] = positionals
  if (oldPath === undefined || newPath === undefined || extra.length > 0) {
    throw new UsageError(`\`roledoc diff\` takes two paths, OLD and NEW; got ${positionals.length}`)
  }

  const run = await diffSides(oldPath, newPath, io.cwd)
  if (!('result' in run)) {
    printMessages(run.errors, values.reporter === undefined ? 'stylish' : parseReporter(values.reporter), true, io)
    io.stderr(`roledoc: cannot compare: ${count(run.errors.length, 'error')} in the docs; fix them (see \`roledoc build\`) and run again\n`)
    return exitCodes.failure
  }
  io.stdout(emitDiff(run.result, format, run.titles))
  return values['exit-code'] && run.result.summary.changes > 0 ? exitCodes.errors : exitCodes.ok
}
