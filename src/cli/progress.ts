/** The build's progress bar on a terminal. */
import type {CliIo} from './io.js'

/** Files from which a progress bar is shown (on a terminal, outside CI). */
export const progressThreshold = 200

export interface Progress {
  update: (done: number, total: number) => void
  done: () => void
}

/** A progress bar on stderr, only when it is a terminal, not in CI, and for more than a few hundred files. */
export function createProgress(io: CliIo): Progress {
  const enabled = io.stderrIsTTY === true && !io.env?.['CI']
  let shown = false
  let last = -1
  return {
    update(done, total) {
      if (!enabled || total < progressThreshold) return
      const percent = Math.floor((done / total) * 100)
      if (percent === last) return
      last = percent
      shown = true
      io.stderr(`\r${renderProgress(done, total)}`)
    },
    // Cleared, and ready for the next build's (with --watch).
    done() {
      if (shown) io.stderr('\r\u001B[2K')
      shown = false
      last = -1
    }
  }
}

/** `[#########...........] 450/1000 files`, 30 columns of bar. */
export function renderProgress(done: number, total: number): string {
  const width = 30
  const filled = total === 0 ? width : Math.round((done / total) * width)
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} files`
}
