// @ts-check
/**
 * The second half of `npm run build`: after `tsc` has compiled `src/` to
 * `dist/`, bundle the CLI (`dist/bin.js`) and the compile worker
 * (`dist/worker.js`) with their dependencies, in place, so that starting
 * roledoc loads a handful of files instead of about 200 modules (the parser
 * alone is about 100: `unified`, `remark-*`, `micromark*`, `mdast-util-*`).
 * Code both entries use goes to shared `dist/bundle-*.js` chunks beside
 * them, and the parser is loaded only when a file is compiled, as before.
 * The rest of `dist/` stays as `tsc` wrote it: the library that
 * `import … from 'roledoc'` loads, with its dependencies as packages.
 *
 * Measured in the README (Performance).
 */
import {readdirSync, rmSync} from 'node:fs'

const dist = new URL('./dist/', import.meta.url)

// Chunks of an earlier bundle: their names change with their contents.
for (const name of readdirSync(dist)) if (/^bundle-.*\.js$/.test(name)) rmSync(new URL(name, dist))

export default {
  input: {bin: 'dist/bin.js', worker: 'dist/worker.js'},
  platform: 'node',
  // tinypool starts its threads from a file of its own, found beside its module.
  external: ['tinypool'],
  // jsonc-parser's `main` is a UMD build whose `require`s a bundler cannot follow; its `module` is ESM.
  resolve: {mainFields: ['module', 'main']},
  output: {dir: 'dist', format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'bundle-[name]-[hash].js'}
}
