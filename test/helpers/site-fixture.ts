/**
 * A small dataset for the explorer page's tests, made to reach every branch
 * of the page and its views: a privileged role with a template ID, a short
 * and a long callout, a summary with a list and a table; a deprecated role;
 * a role without a name or description whose source path needs encoding; a
 * name that must be escaped; allTasks wildcards; a role with more actions
 * than the action view shows at first; and a diff with every kind of change.
 */
import type {Change, DiffResult, RoleRef} from '../../src/compare/change.js'
import type {Permission, RoleRecord} from '../../src/types.js'

/** How many actions the bulk role grants: more than the 200 the action view lists before "Show all". */
export const BULK_ACTIONS = 205

const LONG_WARNING =
  'This role can reset the passwords of other administrators, read every user property and change the memberships ' +
  'of groups that hold other roles, so an account that holds it can take over most of the tenant.\n' +
  '- Assign it only through Privileged Identity Management, for a few hours at a time.\n' +
  '- Review its assignments every month, and remove the assignments that nobody used.'

export function siteRecords(): RoleRecord[] {
  return [
    createRole('beta-reader', {
      name: 'Beta Reader',
      description: 'Reads users and their password state.',
      deprecated: true,
      permissions: [
        permission('microsoft.directory/users/standard/read', 'Read basic properties on users', false, 20),
        permission('microsoft.directory/users/password/read', 'Read whether a user has a password', false, 21)
      ]
    }),
    createRole('alpha-administrator', {
      name: 'Alpha Administrator',
      description: 'Manages users, passwords and Exchange.',
      templateId: '11111111-2222-4333-8444-555555555555',
      privileged: true,
      summary: 'Users with this role can manage users.\n\nThey can also:\n- reset passwords\n- manage Exchange\nand nothing more.',
      callouts: [
        {type: 'note', text: 'Assign this role with care.', position: {line: 8, column: 1}},
        {type: 'warning', text: LONG_WARNING, position: {line: 10, column: 1}}
      ],
      tables: [{header: ['In', 'Can do'], rows: [['Users', 'Reset passwords'], ['Exchange', 'Everything']], position: {line: 30, column: 1}}],
      permissions: [
        permission('microsoft.directory/users/password/update', 'Reset passwords for all users', true, 40),
        permission('microsoft.directory/users/allProperties/allTasks', 'Create and delete users, and read and update all properties', true, 41),
        permission('microsoft.office365.exchange/allEntities/allTasks', 'Manage all aspects of Exchange Online', false, 42),
        permission('microsoft.directory/groups/members/update', 'Update members of groups', false, 43)
      ]
    }),
    createRole('gamma', {
      name: null,
      description: null,
      source: {path: 'includes/gamma role.md', sha256: '0'.repeat(64)},
      permissions: [permission('microsoft.office365.exchange/mailboxes/read', 'Read mailboxes', false, 5)]
    }),
    createRole('delta-operator', {
      name: `Delta <Ops> & "Co" 'x'`,
      description: 'A name that must be escaped: <script>alert(1)</script>',
      permissions: [permission('microsoft.directory/users/password/update', 'Reset passwords for all users', true, 12)]
    }),
    createRole('bulk-operator', {
      name: 'Bulk Operator',
      description: 'Grants many actions.',
      permissions: Array.from({length: BULK_ACTIONS}, (_, index) =>
        permission(`microsoft.bulk/items${String(index).padStart(3, '0')}/read`, `Read item ${index}`, false, 100 + index)
      )
    })
  ]
}

/** A diff that holds every kind of change, as `diffRecords` words them, against the records above. */
export function siteChanges(): DiffResult {
  const alpha = ref('alpha-administrator', 'Alpha Administrator', '11111111-2222-4333-8444-555555555555')
  const beta = ref('beta-reader', 'Beta Reader')
  const delta = ref('delta-operator', `Delta <Ops> & "Co" 'x'`)
  const gamma = ref('gamma', null)
  const changes: Change[] = [
    {kind: 'role-privileged', role: alpha, from: false, to: true},
    {kind: 'permission-added', role: alpha, action: 'microsoft.directory/users/password/update', privileged: true, description: 'Reset passwords for all users'},
    {kind: 'permission-privileged', role: alpha, action: 'microsoft.directory/users/allProperties/allTasks', from: false, to: true},
    {kind: 'permission-description', role: alpha, action: 'microsoft.directory/groups/members/update', from: 'Update groups', to: 'Update members of groups'},
    {kind: 'callout-added', role: alpha, callout: {type: 'note', text: 'Assign this role with care.'}},
    {kind: 'callout-changed', role: alpha, from: {type: 'warning', text: 'Old warning.'}, to: {type: 'warning', text: LONG_WARNING}},
    {kind: 'summary', role: alpha, from: 'Old summary.', to: 'Users with this role can manage users.'},
    {kind: 'deprecated', role: beta, from: false, to: true},
    {kind: 'description', role: beta, from: null, to: 'Reads users and their password state.'},
    {kind: 'ms-date', role: beta, from: '01/02/2024', to: null},
    {kind: 'permission-removed', role: beta, action: 'microsoft.directory/users/standard/update', privileged: false, description: ''},
    {kind: 'callout-removed', role: beta, callout: {type: 'tip', text: 'An old tip.'}},
    {kind: 'role-added', role: delta, privileged: false, permissionCount: 1},
    {kind: 'role-renamed', role: gamma, from: {id: 'gamma-old', name: 'Gamma Old'}, to: {id: 'gamma', name: null}},
    {kind: 'role-removed', role: ref('retired-role', 'Retired <Role>'), privileged: true, permissionCount: 3}
  ]
  return {
    schemaVersion: 1,
    old: 'previous',
    new: 'current',
    summary: {added: 1, removed: 1, renamed: 1, changed: 3, privilegeChanges: 4, changes: changes.length},
    changes
  }
}

function ref(id: string, name: string | null, templateId: string | null = null): RoleRef {
  return {id, name, templateId}
}

export function permission(action: string, description: string, privileged: boolean, line: number): Permission {
  const parts = action.split('/')
  return {
    action,
    namespace: parts[0] ?? '',
    resource: parts.slice(1, -1).join('/'),
    verb: parts[parts.length - 1] ?? '',
    description,
    privileged,
    position: {line, column: 3}
  }
}

export function createRole(id: string, fields: Partial<RoleRecord>): RoleRecord {
  return {
    schemaVersion: 1,
    id,
    kind: 'role',
    anchor: id,
    name: id,
    description: null,
    templateId: null,
    privileged: false,
    deprecated: false,
    summary: '',
    callouts: [],
    permissions: [],
    tables: [],
    includes: [],
    frontMatter: {},
    source: {path: `includes/${id}.md`, sha256: '0'.repeat(64)},
    ...fields
  }
}
