import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test file caches in a temporary XDG_CACHE_HOME, never in the real home folder.
    setupFiles: ['test/helpers/cache-home.ts'],
    testTimeout: 30_000
  }
})
