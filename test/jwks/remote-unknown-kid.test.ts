// An unknown kid during an outage: the refused token says that refetching the set failed
// (the key may well exist upstream), not only that no key matched.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { createRemoteJwks } from '../../src/jwks/remote.ts'
import { verifyJwt } from '../../src/jwt/verify.ts'
import { startServer } from './http-server.ts'
import { makeKeys, manualClock, set, token } from './remote-fixtures.ts'

const server = await startServer()
after(() => server.close())
const { k1, k2 } = await makeKeys('k1', 'k2')

test('unknown kid + failing refetch: ERR_JWKS_NO_MATCHING_KEY says the refetch failed; without an outage it does not', async () => {
  let down = false
  server.handle((req) => (req.path !== '/u' ? { status: 404 } : down ? { status: 503 } : { body: set(k1!), headers: { 'cache-control': 'max-age=600' } }))
  const clock = manualClock()
  const jwks = createRemoteJwks(server.url('/u'), { now: clock.now, cooldownMs: 1_000 })
  await verifyJwt(await token(k1!), jwks)
  // Up: the refetch succeeds and the kid is really unknown — the plain message.
  clock.advance(2_000)
  await assert.rejects(verifyJwt(await token(k2!), jwks), (e: { code: string; message: string }) => e.code === 'ERR_JWKS_NO_MATCHING_KEY' && !/refetching/.test(e.message))
  down = true
  clock.advance(2_000)
  await assert.rejects(verifyJwt(await token(k2!), jwks), (e: { code: string; message: string }) =>
    e.code === 'ERR_JWKS_NO_MATCHING_KEY' && /and refetching the set for it failed \(ERR_JWKS_FETCH_FAILED\)$/.test(e.message))
  // The known key keeps verifying from the held set.
  assert.equal((await verifyJwt(await token(k1!), jwks)).key.kid, 'k1')
})
