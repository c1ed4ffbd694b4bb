import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test file caches in a temporary XDG_CACHE_HOME, never in the real home folder.
    setupFiles: ['test/helpers/cache-home.ts'],
    // Fails the run at once, with how to fix it, when the real docs are not beside the clone.
    globalSetup: ['test/helpers/corpus-check.ts'],
    testTimeout: 30_000
  }
})
