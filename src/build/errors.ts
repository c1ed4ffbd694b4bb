/** The build driver's own error: a problem with the run itself, not with the docs. */
/** A problem with the run itself (a missing input, an unsafe output folder): exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}
