import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runJwk } from './helpers.ts'

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')

test('jwk decode shows header and claims, labelled unverified', async () => {
  const token = `${b64({ alg: 'RS256', kid: 'k' })}.${b64({ sub: 'x' })}.c2ln`
  const r = await runJwk(['decode', token])
  assert.equal(r.status, 0)
  const out = JSON.parse(r.stdout)
  assert.equal(out.verified, false)
  assert.match(out.warning, /UNVERIFIED/)
  assert.match(r.stderr, /UNVERIFIED/)
  assert.deepEqual(out.header, { alg: 'RS256', kid: 'k' })
  assert.deepEqual(out.claims, { sub: 'x' })
  const fromStdin = await runJwk(['decode'], {}, token)
  assert.equal(fromStdin.status, 0)
})

test('jwk decode: malformed tokens exit 1 with ERR_JWS_INVALID', async () => {
  for (const bad of ['a.b', 'x.y.z', `${b64([1])}.${b64({})}.`]) {
    const r = await runJwk(['decode', bad])
    assert.equal(r.status, 1)
    assert.match(r.stderr, /ERR_JWS_INVALID/)
  }
})
