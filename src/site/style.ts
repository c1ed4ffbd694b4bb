/**
 * The explorer page's style sheet, inlined by `emitSite` into a `<style>`
 * element (kept as a string so that `tsc` ships it in `dist/` unchanged).
 * Labels never rely on colour alone: every coloured mark also carries text.
 */
export const siteStyle = String.raw`
:root {
  color-scheme: light dark;
  --bg: #ffffff;
  --fg: #1f2328;
  --muted: #59636e;
  --border: #d1d9e0;
  --subtle: #f6f8fa;
  --accent: #0550ae;
  --focus: #0969da;
  --priv-fg: #7d2a00;
  --priv-bg: #fff1e5;
  --priv-line: #bc4c00;
  --ins-bg: #dafbe1;
  --del-bg: #ffebe9;
  --note-line: #0969da;
  --important-line: #8250df;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117;
    --fg: #e6edf3;
    --muted: #9198a1;
    --border: #3d444d;
    --subtle: #151b23;
    --accent: #4493f8;
    --focus: #4493f8;
    --priv-fg: #ffb77c;
    --priv-bg: #2d1a0c;
    --priv-line: #db6d28;
    --ins-bg: #12261e;
    --del-bg: #2d1214;
    --note-line: #4493f8;
    --important-line: #ab7df8;
  }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html {
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", "Helvetica Neue", Arial, sans-serif;
  background: var(--bg);
  color: var(--fg);
}
body { margin: 0; }
.wrap { max-width: 76rem; margin: 0 auto; padding-left: 1.5rem; padding-right: 1.5rem; }
a { color: var(--accent); text-underline-offset: 0.15em; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 3px; }
h1:focus { outline: none; }
code {
  font: 0.8125rem/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
  overflow-wrap: anywhere;
}
/* An action breaks between its segments (after a slash); a segment wider than the line breaks at its <wbr>s. */
.action-code .seg { display: inline-block; max-width: 100%; }
a .action-code .seg { text-decoration: underline; text-underline-offset: 0.15em; }
a:hover .action-code .seg { text-decoration-thickness: 2px; }
p { margin: 0.5rem 0; }

.site-header { border-bottom: 1px solid var(--border); background: var(--subtle); }
.site-header .wrap {
  display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem;
  padding-top: 0.625rem; padding-bottom: 0.625rem;
}
.brand { margin: 0; font-weight: 700; font-size: 1.0625rem; }
.brand a { color: inherit; text-decoration: none; }
.site-nav ul { list-style: none; display: flex; gap: 0.25rem; margin: 0; padding: 0; }
.site-nav a {
  display: block; padding: 0.3rem 0.75rem; border: 1px solid transparent; border-radius: 6px;
  color: var(--fg); text-decoration: none;
}
.site-nav a:hover { border-color: var(--border); }
.site-nav a[aria-current="page"] {
  border-color: var(--border); background: var(--bg); font-weight: 600;
  text-decoration: underline; text-decoration-thickness: 2px; text-underline-offset: 0.35em;
}
.totals { margin: 0 0 0 auto; color: var(--muted); font-size: 0.875rem; }

main { padding-top: 1.25rem; padding-bottom: 3rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0.25rem 0 0.75rem; }
h2 { font-size: 1.25rem; line-height: 1.3; margin: 2rem 0 0.5rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 0.25rem; }
.lead { font-size: 1.0625rem; margin: 0 0 1rem; max-width: 60rem; }
.intro { color: var(--muted); max-width: 60rem; }
.crumbs { margin: 0 0 0.5rem; font-size: 0.9375rem; }

.controls {
  display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0.75rem 1.5rem;
  margin: 0.75rem 0; padding: 0.75rem 1rem;
  border: 1px solid var(--border); border-radius: 8px; background: var(--subtle);
}
.field { margin: 0; display: flex; flex-direction: column; gap: 0.25rem; min-width: 0; }
.field-grow { flex: 1 1 22rem; }
.field label, .checks legend { font-weight: 600; font-size: 0.875rem; }
.checks { border: 0; margin: 0; padding: 0; min-width: 0; }
.checks legend { padding: 0; margin-bottom: 0.25rem; }
.checks label { display: inline-flex; align-items: center; gap: 0.4rem; margin-right: 1rem; padding: 0.3rem 0; }
input[type="search"], select {
  font: inherit; padding: 0.375rem 0.625rem; min-width: 0;
  border: 1px solid var(--muted); border-radius: 6px; background: var(--bg); color: var(--fg);
}
input[type="checkbox"] { width: 1.05rem; height: 1.05rem; margin: 0; accent-color: var(--accent); }
button {
  font: inherit; font-size: 0.9375rem; padding: 0.3rem 0.75rem; cursor: pointer;
  border: 1px solid var(--muted); border-radius: 6px; background: var(--bg); color: var(--fg);
}
button:hover { background: var(--subtle); }
.count { color: var(--muted); margin: 0.5rem 0; font-variant-numeric: tabular-nums; }
.count-row { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.25rem 1rem; }
button:disabled { cursor: default; opacity: 0.6; }
.count strong { color: var(--fg); }
.empty { padding: 1rem; border: 1px dashed var(--border); border-radius: 8px; color: var(--muted); }

table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 0.5rem 0.75rem; border-bottom: 1px solid var(--border); }
thead th {
  font-size: 0.75rem; font-weight: 700; letter-spacing: 0.04em; text-transform: uppercase; color: var(--muted);
  border-bottom: 2px solid var(--border); background: var(--bg); position: sticky; top: 0; z-index: 1;
}
tbody tr:hover { background: var(--subtle); }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.nowrap { white-space: nowrap; }
.role-name { font-weight: 600; }
.desc { margin: 0.125rem 0 0; color: var(--muted); font-size: 0.9375rem; }
.hits { margin: 0.25rem 0 0; font-size: 0.875rem; color: var(--muted); }
.hits code { color: var(--fg); }

.badge {
  display: inline-block; margin-left: 0.375rem; padding: 0.0625rem 0.375rem;
  font-size: 0.75rem; font-weight: 700; line-height: 1.3; white-space: nowrap; vertical-align: 0.1em;
  border: 1px solid var(--muted); border-radius: 4px; color: var(--muted);
}
.badge:first-child { margin-left: 0; }
.badge-privileged { color: var(--priv-fg); background: var(--priv-bg); border-color: var(--priv-line); }
.badge-deprecated { border-style: dashed; }
.badge-privilege { color: var(--priv-fg); background: var(--priv-bg); border-color: var(--priv-line); }
tr.privileged > td:first-child { box-shadow: inset 4px 0 0 var(--priv-line); }

.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1.25rem; margin: 0 0 1rem; }
.facts dt { font-weight: 600; color: var(--muted); font-size: 0.9375rem; }
.facts dd { margin: 0; }
.prose { max-width: 60rem; }
.prose ul { margin: 0.5rem 0; padding-left: 1.5rem; }
.callout {
  max-width: 60rem; margin: 1rem 0; padding: 0.5rem 1rem;
  border: 1px solid var(--border); border-left: 4px solid var(--note-line); border-radius: 6px; background: var(--subtle);
}
.callout-important, .callout-warning, .callout-caution { border-left-color: var(--important-line); }
.callout-head { margin: 0.25rem 0; }
.callout-title { font-weight: 700; margin-right: 0.25rem; }
.source-link { font-size: 0.8125rem; color: var(--muted); }
.note { font-size: 0.875rem; color: var(--muted); }
details.callout summary { cursor: pointer; padding: 0.25rem 0; }
details.callout .more { color: var(--accent); text-decoration: underline; text-underline-offset: 0.15em; white-space: nowrap; }
details.callout[open] .excerpt, details.callout[open] .more { display: none; }
.perm-table .action { font-weight: 500; }
/* Fixed layout: the widths come from the header row, so filtering never re-measures every cell. */
.perm-table { table-layout: fixed; }
.perm-table th:nth-child(1) { width: 42%; }
.perm-table th:nth-child(3) { width: 7rem; }
.perm-table th:nth-child(4) { width: 6.5rem; }
.perm-table td.line { white-space: nowrap; font-size: 0.875rem; }

.role-list { list-style: none; margin: 0.5rem 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 0.125rem 2rem; }
.role-list li { padding: 0.2rem 0; }
/* The role and action lists: rows as grids; rows off screen skip layout and paint. */
.role-rows, .action-list { list-style: none; margin: 0; padding: 0; }
.role-row, .action-row { display: grid; gap: 0 0.75rem; margin: 0; padding: 0.5rem 0.75rem; border-bottom: 1px solid var(--border); }
.role-row { grid-template-columns: minmax(0, 1fr) 8.5rem 12.5rem; }
.action-row { grid-template-columns: minmax(0, 42fr) 7rem minmax(0, 58fr); gap: 0 1.5rem; }
.role-rows > li { content-visibility: auto; contain-intrinsic-size: auto 4.5rem; }
.action-list > li { content-visibility: auto; contain-intrinsic-size: auto 2.75rem; }
.role-rows > li:hover, .action-list > li:hover { background: var(--subtle); }
.role-rows > li.privileged, .action-list > li.privileged { box-shadow: inset 4px 0 0 var(--priv-line); }
.list-head {
  font-size: 0.75rem; font-weight: 700; letter-spacing: 0.04em; text-transform: uppercase; color: var(--muted);
  border-bottom-width: 2px;
}
.list-head .sort {
  font: inherit; letter-spacing: inherit; text-transform: inherit; color: inherit; text-align: inherit;
  padding: 0; border: 0; border-radius: 0; background: none;
  text-decoration: underline dotted; text-underline-offset: 0.25em;
}
.list-head .sort:hover { background: none; text-decoration: underline solid; }
.list-head .sort-mark { font-size: 0.625rem; }
.action-list code { padding-top: 0.125rem; }
.action-roles { margin: 0; padding: 0; list-style: none; }
.action-roles li { display: inline; }
.action-roles li:not(:last-child)::after { content: ", "; }
.namespace-list { columns: 22rem auto; column-gap: 2rem; padding-left: 1.25rem; }

.role-tools { margin: 0 0 1rem; }
.compare-columns { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0 2rem; }
.compare-columns h2 { margin-top: 1rem; }
.compare-list { list-style: none; margin: 0; padding: 0; }
.compare-list > li { padding: 0.375rem 0.75rem; border-bottom: 1px solid var(--border); }
.compare-list > li.privileged { box-shadow: inset 4px 0 0 var(--priv-line); }
.wildcard-note { margin: 0.125rem 0 0; font-size: 0.875rem; color: var(--muted); }
.compare-both { margin: 1.5rem 0; }
.compare-both summary { cursor: pointer; font-weight: 600; }
.change-role { margin: 0.75rem 0 1rem; }
.change-role h3 { margin: 0 0 0.25rem; }
.changes { list-style: none; margin: 0; padding: 0; }
.change { padding: 0.375rem 0 0.375rem 0.75rem; border-left: 3px solid var(--border); margin: 0.25rem 0; }
.change[data-privilege="true"] { border-left-color: var(--priv-line); }
.change-mark { display: inline-block; width: 1.25rem; font-weight: 700; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.change-detail { margin: 0.25rem 0 0 1.25rem; font-size: 0.9375rem; }
.change-detail p { margin: 0.125rem 0; white-space: pre-line; }
.change-detail del, .change-detail ins { text-decoration: none; padding: 0 0.125rem; }
.change-detail del { background: var(--del-bg); }
.change-detail ins { background: var(--ins-bg); }
.change-detail .was, .change-detail .now { font-weight: 600; margin-right: 0.375rem; }
.commit h2 { font-size: 1.0625rem; }
.timeline { list-style: none; margin: 0; padding: 0; }
.timeline > li { margin: 0 0 1rem; }
.timeline h3 { margin: 0 0 0.25rem; font-size: 1rem; }
.commit time { font-variant-numeric: tabular-nums; }

.visually-hidden {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.site-footer { color: var(--muted); font-size: 0.8125rem; padding-top: 1rem; padding-bottom: 2rem; border-top: 1px solid var(--border); }
@media (max-width: 40rem) {
  .wrap { padding-left: 1rem; padding-right: 1rem; }
  .totals { margin-left: 0; }
  th, td { padding: 0.4rem 0.5rem; }
  thead th { font-size: 0.6875rem; letter-spacing: 0; }
  /* A role row: name, description and matches across the whole width, then the counts in words; the headings sort. */
  .role-rows .role-row { display: block; }
  .role-rows .num { display: inline-block; margin: 0.25rem 1rem 0 0; color: var(--muted); font-size: 0.875rem; }
  .role-rows .num .visually-hidden { position: static; width: auto; height: auto; margin: 0; clip: auto; overflow: visible; }
  .list-head.role-row { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; }
  /* Permissions stack: the action on its own line, then description, label and source. */
  .perm-table, .perm-table tbody { display: block; }
  .perm-table thead { display: none; }
  .perm-table tr { display: grid; grid-template-columns: minmax(0, 1fr) auto auto; border-bottom: 1px solid var(--border); }
  .perm-table td { border: 0; }
  .perm-table td:first-child { grid-column: 1 / -1; padding-bottom: 0; }
  .action-row { grid-template-columns: minmax(0, 1fr) auto; }
  .action-row > div { grid-column: 1 / -1; }
  .list-head.action-row span:last-child { display: none; }
  .compare-columns { grid-template-columns: minmax(0, 1fr); }
}
`
