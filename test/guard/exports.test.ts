// The guard names the issue and DESIGN.md give are exported from the package entry.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as jwkit from '../../src/index.ts'

test('the package entry exports the guards by the names of the issue and DESIGN.md', () => {
  const api = jwkit as unknown as Record<string, unknown>
  for (const name of ['verifyAccessToken', 'verifyIdToken', 'createDpopProof', 'verifyDpopProof', 'createRedisReplayCache', 'createRedisJwksCache', 'createMemoryReplayCache', 'createDpopNonces', 'withAccessToken', 'isGuardError']) {
    assert.equal(typeof api[name], 'function', name)
  }
  assert.equal(typeof jwkit.GuardError, 'function')
})
