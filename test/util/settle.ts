// Shared by the fuzz tests: every outcome must be a result or a JwkitError, never another exception.
import assert from 'node:assert/strict'
import { isJwkitError } from '../../src/errors.ts'

/** Awaits `p`; returns 'ok', or the JwkitError's code, and fails the test on any other exception. */
export async function settle(p: Promise<unknown>): Promise<'ok' | string> {
  try {
    await p
    return 'ok'
  } catch (error) {
    assert.ok(isJwkitError(error), `non-JwkitError: ${(error as Error)?.stack ?? String(error)}`)
    return error.code
  }
}
