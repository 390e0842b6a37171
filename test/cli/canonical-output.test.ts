// Issue 10: output is always canonical. Every jwk command that reads a key reads it as parseJwk
// does (non-canonical spellings with one reading are normalised), and writes the canonical form.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { runJwk as run } from './helpers.ts'
import { exportJwk } from '../../src/crypto/export.ts'
import { thumbprint } from '../../src/jwk/thumbprint.ts'
import type { Jwk } from '../../src/jwk/types.ts'

const key = exportJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey) as Jwk & { x: string; y: string; d: string }
// Padded standard base64 x, a sign octet on d (Keycloak before 20, PyJWT's opposite).
const odd = { ...key, x: Buffer.from(key.x, 'base64url').toString('base64'), d: Buffer.concat([Buffer.alloc(1), Buffer.from(key.d, 'base64url')]).toString('base64url') }

test('jwk public, thumbprint and convert --to jwk write canonical members for a non-canonical input', async () => {
  const pub = await run(['public'], {}, JSON.stringify(odd))
  assert.equal(pub.status, 0, pub.stderr)
  const printed = JSON.parse(pub.stdout) as Record<string, string>
  assert.equal(printed.x, key.x)
  assert.equal(printed.d, undefined)
  const tp = await run(['thumbprint'], {}, JSON.stringify(odd))
  assert.equal(tp.status, 0, tp.stderr)
  assert.equal(tp.stdout.trim(), thumbprint(key))
  const conv = await run(['convert', '--to', 'jwk'], {}, JSON.stringify(odd))
  assert.equal(conv.status, 0, conv.stderr)
  const converted = JSON.parse(conv.stdout) as Record<string, string>
  assert.equal(converted.x, key.x)
  assert.equal(converted.d, key.d)
})

test('jwk verify: a token whose kid names a skipped key says it was skipped and why; a non-canonical key verifies', async () => {
  const { signJwt } = await import('../../src/jwt/sign.ts')
  const { toPublicJwk } = await import('../../src/jwk/public.ts')
  const pub = toPublicJwk(key) as Jwk & { x: string; y: string }
  const enc = { ...toPublicJwk(exportJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)), kid: 'enc-key', use: 'enc' }
  const files = { 'jwks.json': JSON.stringify({ keys: [{ ...pub, kid: 'odd', x: Buffer.from(pub.x, 'base64url').toString('base64') }, enc] }) }
  const ok = await run(['verify', '--jwks', 'jwks.json', await signJwt({ sub: 'a' }, key, { alg: 'ES256', kid: 'odd' })], files)
  assert.equal(ok.status, 0, ok.stderr)
  const skipped = await run(['verify', '--jwks', 'jwks.json', await signJwt({ sub: 'a' }, key, { alg: 'ES256', kid: 'enc-key' })], files)
  assert.equal(skipped.status, 1)
  assert.match(skipped.stderr, /ERR_JWKS_NO_MATCHING_KEY.*key "enc-key" was in the set but skipped: member use is "enc"/)
})
