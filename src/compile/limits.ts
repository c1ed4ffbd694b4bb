/** Limits on input, each reported with its own rule when it is passed (README: Security and reliability); the compile threads' own are in `driver/threads.ts`. */

/** Default `maxFileSize`: 1 MiB, thirty times the largest real role file (`file-too-large`). */
export const defaultMaxFileSize = 1024 * 1024
