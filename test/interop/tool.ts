/**
 * Finding the external tools the interop tests run (openssl, ssh-keygen). A missing tool makes
 * the tests FAIL when `process.env.CI` is set, and skip with the reason otherwise.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'

export interface ToolCheck {
  /** Pass as `{ skip }` to node:test: false when the tool runs, else the reason. */
  skip: string | false
}

/** Checks that `command` runs; in CI a missing tool registers a failing test. */
export function findTool(command: string, versionArgs: string[]): ToolCheck {
  const r = spawnSync(command, versionArgs, { encoding: 'utf8', timeout: 10_000, killSignal: 'SIGKILL' })
  if (r.error === undefined && (r.status === 0 || command === 'ssh-keygen')) return { skip: false }
  const reason = `${command} not found or not runnable (${r.error?.message ?? `exit ${r.status}`}); install it to run these interop tests`
  if (process.env.CI) {
    test(`${command} is available (required in CI)`, () => assert.fail(reason))
  }
  return { skip: reason }
}

/** Runs a tool; throws with its stderr when it fails. */
export function run(command: string, args: string[], options: { cwd?: string; input?: string } = {}): string {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL', ...options })
  if (r.error) throw r.error
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  return r.stdout
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
