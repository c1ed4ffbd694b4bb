/** Limits on input, each reported with its own rule when it is passed (README: Security and reliability). */

/** Default `maxFileSize`: 1 MiB, thirty times the largest real role file (`file-too-large`). */
export const defaultMaxFileSize = 1024 * 1024

/**
 * Default `fileTimeout`, in milliseconds: the time one file may take to
 * compile (`file-timeout`). It is wall-clock time, so it must leave room
 * for a busy machine: the largest real file (45 KB) compiles in about
 * 0.4 s on a cold parser, a realistic 1 MiB table (8,000 rows) in 2 to 5 s
 * alone and in 11 s on two cores shared with other builds. Markdown that
 * takes the parser minutes is stopped after this.
 */
export const defaultFileTimeout = 30_000

/**
 * The heap (V8's old generation) a compile worker may use, in MiB
 * (`file-out-of-memory`). A realistic 1 MiB table needs about 100 MiB;
 * a 50 MB one would need gigabytes.
 */
export const workerHeapMb = 512
