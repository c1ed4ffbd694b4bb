/**
 * The commands whose behaviour `test/behaviour.test.ts` pins, run in this
 * order from the repository root, and the inputs they need made in a
 * temporary folder (`work`). Inputs are read where they are (the real
 * corpus through `test/helpers/paths.ts`, never copied into the
 * repository); the only copies are the edited ones made here, in `work`.
 */
import {cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {corpus, reference, root} from '../helpers/paths.js'

export interface BehaviourCommand {
  /** Unique: it names the pinned outcome. */
  name: string
  /** The arguments after `roledoc`, run from the repository root. */
  argv: string[]
  /** The output folder whose files are pinned, if the command writes one. */
  out?: string
  /** The command that must have run before this one (it reads what that one wrote); others may run meanwhile. */
  after?: string
}

/** A path as given on the command line, run from the repository root. */
function fromRoot(absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/') || '.'
}

const formats = ['text', 'md', 'json'] as const

/** Fixture folders of one reference page and its includes. */
const referenceCases = ['conflicts', 'inline-de', 'inline-include', 'inline-include-missing', 'stray-rows', 'unmarked', 'variations']

/** Of each role's saved versions (`VERSIONS.tsv`, oldest first): the first against the last, and the two before the last. */
function historyPairs(): Array<{role: string; old: string; new: string}> {
  const pairs: Array<{role: string; old: string; new: string}> = []
  const history = path.join(corpus, 'history')
  for (const role of readdirSync(history).sort()) {
    const files = readFileSync(path.join(history, role, 'VERSIONS.tsv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => path.join(history, role, line.split('\t')[2] ?? ''))
    if (files.length < 2) continue
    pairs.push({role: `${role} first to last`, old: files[0] as string, new: files.at(-1) as string})
    if (files.length > 2) pairs.push({role: `${role} last step`, old: files.at(-2) as string, new: files.at(-1) as string})
  }
  return pairs
}

/** Replace `from` by `to` in `file`, which must hold `from`. */
function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8')
  if (!text.includes(from)) throw new Error(`${file} does not hold ${JSON.stringify(from)}`)
  writeFileSync(file, text.replace(from, to))
}

/**
 * Make the edited inputs in `work`: `rbac-edited` (the real reference
 * folder with a permission removed, one added, a badge taken away, a
 * callout added, ms.date and a roles-table description changed) and
 * `fixtures-edited` (the seed with one more privileged permission).
 */
export function prepareWork(work: string): void {
  const edited = path.join(work, 'rbac-edited')
  cpSync(reference, edited, {recursive: true})
  const app = path.join(edited, 'includes/application-administrator.md')
  edit(app, '> | microsoft.azure.serviceHealth/allEntities/allTasks | Read and configure Azure Service Health |\n', '')
  edit(app, '> | --- | --- |\n', '> | --- | --- |\n> | microsoft.directory/roledocBehaviour/test/update | Update things for the behaviour test |\n')
  edit(app, 'ms.date: 07/09/2025', 'ms.date: 08/01/2025')
  const helpdesk = path.join(edited, 'includes/helpdesk-administrator.md')
  edit(
    helpdesk,
    '> | microsoft.directory/users/password/update | Reset passwords for all users<br/>[![Privileged label icon.](../media/permissions-reference/privileged-label.png)](../privileged-roles-permissions.md) |',
    '> | microsoft.directory/users/password/update | Reset passwords for all users |'
  )
  edit(helpdesk, '> [!IMPORTANT]\n', '> [!NOTE]\n> A callout the behaviour test adds.\n\n> [!IMPORTANT]\n')
  edit(
    path.join(edited, 'permissions-reference.md'),
    'Can reset passwords for non-administrators and Helpdesk Administrators.',
    'Can reset passwords for non-administrators, and Helpdesk Administrators.'
  )

  const fixtures = path.join(work, 'fixtures-edited')
  mkdirSync(fixtures)
  cpSync(path.join(root, 'fixtures'), fixtures, {recursive: true})
  const badge = '[![Privileged label icon.](../media/permissions-reference/privileged-label.png)](../privileged-roles-permissions.md)'
  edit(path.join(fixtures, 'partner-tier1-support.md'), '| Update photo of users |', `| Update photo of users<br/>${badge} |`)
}

/** Every command, in the order they run. */
export function behaviourCommands(work: string): BehaviourCommand[] {
  const rbac = fromRoot(reference)
  const at = (name: string): string => path.join(work, name)
  const commands: BehaviourCommand[] = [
    {name: 'help', argv: ['--help']},
    {name: 'version', argv: ['--version']},
    {name: 'build --help', argv: ['build', '--help']},
    {name: 'diff --help', argv: ['diff', '--help']},
    {name: 'drift --help', argv: ['drift', '--help']},
    {name: 'unknown command', argv: ['publish']},
    {name: 'unknown flag', argv: ['build', '--colour']},
    {name: 'missing input', argv: ['build', 'no-such-folder', '--out', at('missing')]},
    {name: 'diff with one path', argv: ['diff', 'fixtures']},
    {name: 'drift without --graph', argv: ['drift', 'fixtures']},

    {name: 'build the real reference folder with --site', argv: ['build', rbac, '--site', '--no-cache', '--out', at('corpus-site')], out: at('corpus-site')},
    {name: 'build fixtures', argv: ['build', 'fixtures', '--no-cache', '--out', at('fixtures-out')], out: at('fixtures-out')},
    {name: 'build fixtures --check against its output', argv: ['build', 'fixtures', '--no-cache', '--check', '--out', at('fixtures-out')], after: 'build fixtures'},
    {
      name: 'build fixtures --check with fewer formats (out of date)',
      argv: ['build', 'fixtures', '--no-cache', '--check', '--formats', 'json', '--out', at('fixtures-out')],
      after: 'build fixtures'
    },
    {name: 'build fixtures with yaml and csv only', argv: ['build', 'fixtures', '--no-cache', '--formats', 'yaml,csv', '--out', at('fixtures-formats')], out: at('fixtures-formats')},
    {
      name: 'build fixtures with --site --since an edited copy',
      argv: ['build', 'fixtures', '--no-cache', '--site', '--since', at('fixtures-edited'), '--site-base-url', 'https://example.com/docs', '--out', at('fixtures-site')],
      out: at('fixtures-site')
    }
  ]
  for (const name of referenceCases) {
    commands.push({name: `build test/reference/${name}`, argv: ['build', `test/reference/${name}`, '--no-cache', '--out', at(`reference-${name}`)], out: at(`reference-${name}`)})
    commands.push({
      name: `build test/reference/${name} --check (github reporter)`,
      argv: ['build', `test/reference/${name}`, '--no-cache', '--check', '--reporter', 'github', '--out', at(`reference-${name}`)],
      after: `build test/reference/${name}`
    })
  }
  commands.push({name: 'build test/reference/variations --strict (json reporter)', argv: ['build', 'test/reference/variations', '--no-cache', '--strict', '--reporter', 'json', '--out', at('variations-strict')], out: at('variations-strict')})

  for (const format of formats) {
    commands.push({name: `diff the reference folder and an edited copy (${format})`, argv: ['diff', rbac, at('rbac-edited'), '--format', format]})
    commands.push({name: `diff the fixtures and an edited copy (${format})`, argv: ['diff', 'fixtures', at('fixtures-edited'), '--format', format, '--exit-code']})
  }
  commands.push({name: 'diff a dataset and the edited docs (json)', argv: ['diff', at('corpus-site'), at('rbac-edited'), '--format', 'json'], after: 'build the real reference folder with --site'})
  for (const pair of historyPairs()) {
    for (const format of formats) {
      commands.push({name: `diff history ${pair.role} (${format})`, argv: ['diff', fromRoot(pair.old), fromRoot(pair.new), '--format', format]})
    }
  }
  commands.push({name: 'diff a folder with errors', argv: ['diff', 'test/reference/conflicts', 'fixtures']})

  for (const format of formats) {
    commands.push({name: `drift test/drift/docs (${format})`, argv: ['drift', '--graph', 'test/drift/graph.json', 'test/drift/docs', '--format', format, '--exit-code']})
  }
  for (const format of ['text', 'json']) {
    commands.push({name: `drift the real reference folder (${format})`, argv: ['drift', '--graph', 'test/drift/corpus-graph.json', rbac, '--format', format]})
  }
  commands.push({name: 'drift a dataset', argv: ['drift', '--graph', 'test/drift/graph.json', at('corpus-site')], after: 'build the real reference folder with --site'})
  commands.push({name: 'drift one file', argv: ['drift', '--graph', 'test/drift/graph.json', 'test/drift/docs/sample-admin.md', '--format', 'md']})
  for (const name of readdirSync(path.join(root, 'test/drift/invalid')).sort()) {
    commands.push({name: `drift an invalid export: ${name}`, argv: ['drift', '--graph', `test/drift/invalid/${name}/input.json`, 'test/drift/docs']})
  }
  return commands
}
