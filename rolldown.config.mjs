// @ts-check
/**
 * The second half of `npm run build`: after `tsc` has checked and compiled
 * `src/` to `dist/`, bundle the CLI (`src/bin.ts`) and the compile worker
 * (`src/worker.ts`) with their dependencies, over the `dist/bin.js` and
 * `dist/worker.js` that `tsc` wrote, so that starting roledoc loads a
 * handful of files instead of about 250 modules (about 130 of them the
 * parser's: `unified`, `remark-*`, `micromark*`, `mdast-util-*`). Code both
 * entries use goes to shared `dist/bundle-*.js` chunks beside them, and the
 * parser is loaded only when a file is compiled, as before. The rest of
 * `dist/` stays as `tsc` wrote it: the library that `import … from
 * 'roledoc'` loads, with its dependencies as packages.
 *
 * Measured in docs/performance.md.
 */
import {existsSync, readdirSync, rmSync} from 'node:fs'

const dist = new URL('./dist/', import.meta.url)

// Chunks of an earlier bundle: their names change with their contents.
if (existsSync(dist)) for (const name of readdirSync(dist)) if (/^bundle-.*\.js$/.test(name)) rmSync(new URL(name, dist))

export default {
  // From the sources (types are only stripped: `verbatimModuleSyntax`), so that a second run reads no bundle.
  input: {bin: 'src/bin.ts', worker: 'src/worker.ts'},
  platform: 'node',
  resolve: {
    // Imports name the `.js` that tsc writes.
    extensionAlias: {'.js': ['.ts', '.js']},
    // jsonc-parser's `main` is a UMD build whose `require`s a bundler cannot follow; its `module` is ESM.
    mainFields: ['module', 'main']
  },
  output: {dir: 'dist', format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'bundle-[name]-[hash].js'}
}
