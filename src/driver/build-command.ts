/**
 * `roledoc build` as one call: what the command line gave, the config file
 * (`config.ts`) and the defaults resolved into one `BuildRun` (a flag wins
 * over the config, the config over the default), then built once
 * (`run-build.ts`), or again on every change to the inputs with `watch`
 * (`watch.ts`). Each build's report goes to `onReport` as the build ends;
 * the call returns once the build, or the watch, is over.
 */
import type {VFileMessage} from 'vfile-message'
import {defaultMaxFileSize} from '../compile/limits.js'
import {datasetFormats} from '../emit/dataset.js'
import type {ReporterName} from '../emit/reporters.js'
import {loadConfig} from './config.js'
import {runBuild, type BuildHooks, type BuildReport, type BuildRun} from './run-build.js'
import {defaultFileTimeout, defaultWorkers} from './threads.js'
import {watchInputs} from './watch.js'

/**
 * `roledoc build` as asked: the run's settings, where those the config file
 * may set can be left out (then the config's, else the default, is taken;
 * no `inputs`: the config's, else `fixtures`).
 */
export type BuildRequest = Pick<BuildRun, 'inputs' | 'check' | 'cacheDir' | 'site' | 'cwd' | 'env'> &
  Partial<Pick<BuildRun, 'out' | 'strict' | 'formats' | 'maxFileSize' | 'fileTimeout' | 'workers'>> &
  Partial<Pick<BuildSettings, 'reporter' | 'quiet'>> & {
    /** The config file (default: `roledoc.config.json`, or the `roledoc` key of `package.json`, when present). */
    config?: string
    /** Build, then rebuild on every change to the inputs until the signal aborts. */
    watch: boolean
  }

/** The build as resolved, and how its reports are printed. */
export interface BuildSettings {
  run: BuildRun
  reporter: ReporterName
  /** Print errors only. */
  quiet: boolean
}

/** What the command tells as it goes. */
export interface BuildCommandHooks extends BuildHooks {
  /** Each build's report as it ends: the build's, then, with `watch`, each rebuild's. */
  onReport: (report: BuildReport, settings: BuildSettings) => void
  /** With `watch`: the inputs are watched. */
  onWatching?: (inputs: readonly string[]) => void
  /** With `watch`: a rebuild failed or was refused (not stopped by the signal); the watch goes on. */
  onRebuildFailed?: (error: unknown) => void
}

/** How the command ended: the config file is not valid (nothing was built), or the build, or the watch, is over. */
export type BuildCommandResult = {kind: 'invalid-config'; file: string; messages: VFileMessage[]} | {kind: 'done'; settings: BuildSettings}

/** Run `roledoc build` as `request` asks, telling `hooks` each report. */
export async function buildCommand(request: BuildRequest, hooks: BuildCommandHooks): Promise<BuildCommandResult> {
  const resolved = await resolveBuild(request)
  if ('invalid' in resolved) return {kind: 'invalid-config', file: resolved.invalid, messages: resolved.messages}
  const {settings} = resolved
  const once = async (): Promise<void> => hooks.onReport(await runBuild(settings.run, hooks), settings)
  await once()
  if (!request.watch) return {kind: 'done', settings}
  const signal = hooks.signal ?? new AbortController().signal
  await watchInputs(
    settings.run.inputs,
    request.cwd,
    async () => {
      try {
        await once()
      } catch (error) {
        // Stopped by the signal: the rebuild wrote nothing, and the watch ends.
        if (!signal.aborted) hooks.onRebuildFailed?.(error)
      }
    },
    signal,
    {
      onReady: () => hooks.onWatching?.(settings.run.inputs),
      ...(hooks.onNotice ? {onNotice: hooks.onNotice} : {})
    }
  )
  return {kind: 'done', settings}
}

/** The request with the config file's values and the defaults filled in, or the config file that is not valid. */
async function resolveBuild(request: BuildRequest): Promise<{settings: BuildSettings} | {invalid: string; messages: VFileMessage[]}> {
  const loaded = await loadConfig(request.config, request.cwd)
  if ('invalid' in loaded) return loaded
  const {config} = loaded
  const run: BuildRun = {
    inputs: request.inputs.length > 0 ? request.inputs : (config.inputs ?? ['fixtures']),
    out: request.out ?? config.out ?? 'out',
    check: request.check,
    strict: request.strict ?? config.strict ?? false,
    rules: config.rules ?? {},
    formats: request.formats ?? config.formats ?? datasetFormats,
    maxFileSize: request.maxFileSize ?? config.maxFileSize ?? defaultMaxFileSize,
    fileTimeout: request.fileTimeout ?? config.fileTimeout ?? defaultFileTimeout,
    workers: request.workers ?? defaultWorkers(),
    cacheDir: request.cacheDir,
    site: request.site,
    cwd: request.cwd,
    env: request.env
  }
  return {settings: {run, reporter: request.reporter ?? config.reporter ?? 'stylish', quiet: request.quiet ?? config.quiet ?? false}}
}
