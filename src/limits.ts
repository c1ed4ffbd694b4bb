/** Limits on input, each reported with its own rule when it is passed (README: Security and reliability). */

/** Default `maxFileSize`: 1 MiB, thirty times the largest real role file (`file-too-large`). */
export const defaultMaxFileSize = 1024 * 1024
