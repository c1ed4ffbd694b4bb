/**
 * Small git repositories made by the tests, in a temporary folder, with
 * commits at the dates the tests give (author and committer), by a fixed
 * author, with no user or system git config in the way.
 */
import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

const env = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Docs Writer',
  GIT_AUTHOR_EMAIL: 'writer@example.com',
  GIT_COMMITTER_NAME: 'Docs Writer',
  GIT_COMMITTER_EMAIL: 'writer@example.com'
}

export interface TestRepo {
  folder: string
  /** Run git in the repository; its standard output, trimmed. */
  git: (...args: string[]) => string
  /** Write (text) or delete (`null`) files, commit them all at `date` (ISO 8601); returns the commit's sha. */
  commit: (files: Record<string, string | null>, date: string, message: string) => string
}

/** A new repository in a new temporary folder, or in `folder` (made if missing). */
export function createRepo(prefix = 'roledoc-history-', folder = mkdtempSync(path.join(tmpdir(), prefix))): TestRepo {
  mkdirSync(folder, {recursive: true})
  const git = (...args: string[]): string => execFileSync('git', ['-C', folder, '-c', 'commit.gpgsign=false', ...args], {env, encoding: 'utf8'}).trim()
  git('init', '-q', '-b', 'main')
  const commit = (files: Record<string, string | null>, date: string, message: string): string => {
    for (const [name, content] of Object.entries(files)) {
      const file = path.join(folder, name)
      if (content === null) {
        rmSync(file, {force: true})
      } else {
        mkdirSync(path.dirname(file), {recursive: true})
        writeFileSync(file, content)
      }
    }
    git('add', '-A')
    execFileSync('git', ['-C', folder, '-c', 'commit.gpgsign=false', 'commit', '-q', '--allow-empty', '-m', message], {
      env: {...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date},
      encoding: 'utf8'
    })
    return git('rev-parse', 'HEAD')
  }
  return {folder, git, commit}
}

/** Run `git` with a commit date (for merges and moves made with git itself). */
export function gitAt(repo: TestRepo, date: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo.folder, '-c', 'commit.gpgsign=false', ...args], {
    env: {...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date},
    encoding: 'utf8'
  }).trim()
}
