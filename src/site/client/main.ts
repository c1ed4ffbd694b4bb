/**
 * The explorer page's script: bundled by `npm run build` (rolldown.client.mjs)
 * into one classic script that `emitSite` inlines into `site/index.html`. No
 * framework, no network. It reads the page's data (`../page-data.ts`),
 * indexes it once, and renders one view per URL hash:
 *
 * - `#/roles?q=&ns=&privileged=1&deprecated=1`: the role list and filters (`roles.ts`)
 * - `#/role/<id>?q=&privileged=1`: one role (`role.ts`)
 * - `#/actions?q=`: every role that grants the actions matching `q` (`actions.ts`)
 * - `#/compare?a=<id>&b=<id>`: two roles side by side (`compare.ts`)
 * - `#/changes`: the diff against a previous dataset (`changes.ts`)
 * - `#/history`: with `--history REPO`, what changed when (`history.ts`, which
 *   also gives each role's timeline)
 *
 * Any other hash shows the roles. Start-up and each render are timed with
 * `performance.measure('roledoc:start-up')` and `('roledoc:render')`.
 */
import {createActionsView} from './actions.js'
import {createChangesView} from './changes.js'
import {createCompareView} from './compare.js'
import {createIndex, readPageData} from './data.js'
import {byId} from './dom.js'
import {createHistoryView} from './history.js'
import {createRoleView} from './role.js'
import {createRolesView} from './roles.js'
import {startRouter} from './router.js'
import type {Explorer, View} from './view.js'

performance.mark('roledoc:start')
const data = readPageData()
const explorer: Explorer = {main: byId('main', HTMLElement), index: createIndex(data), rolesHash: '#/roles'}
const roles = createRolesView(explorer)
const views = new Map<string, View>([
  ['roles', roles],
  ['role', createRoleView(explorer, data.history ?? null)],
  ['actions', createActionsView(explorer)],
  ['compare', createCompareView(explorer)],
  ['changes', createChangesView(explorer, data.changes)],
  ['history', createHistoryView(explorer, data.history ?? null)]
])
startRouter(explorer.main, views, roles)
document.documentElement.setAttribute('data-ready', '')
performance.measure('roledoc:start-up', 'roledoc:start')
