import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { runJwk } from './helpers.ts'
import { verifyJwt } from '../../src/jwt/verify.ts'
import { verifyJws } from '../../src/jws/verify.ts'
import { exportJwk } from '../../src/crypto/export.ts'

const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const jwk = { ...exportJwk(pair.privateKey), kid: 'k1', alg: 'ES256' }
const files = { 'key.json': JSON.stringify(jwk), 'key.pem': pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 'data.bin': 'raw payload' }

test('jwk sign --claims --exp --typ prints a JWT that verifies', async () => {
  const r = await runJwk(['sign', '--key', 'key.json', '--claims', '{"sub":"alice"}', '--exp', '10m', '--typ', 'at+jwt'], files)
  assert.equal(r.status, 0, r.stderr)
  const v = await verifyJwt(r.stdout.trim(), pair.publicKey, { typ: 'at+jwt' })
  assert.equal(v.claims.sub, 'alice')
  assert.equal(v.claims.exp! - v.claims.iat!, 600)
  assert.equal(v.protectedHeader.kid, 'k1')
})

test('jwk sign --payload FILE with a PEM key and --alg', async () => {
  const r = await runJwk(['sign', '--key', 'key.pem', '--alg', 'ES256', '--payload', 'data.bin', '--kid', 'x'], files)
  assert.equal(r.status, 0, r.stderr)
  const v = await verifyJws(r.stdout.trim(), pair.publicKey)
  assert.equal(Buffer.from(v.payload).toString(), 'raw payload')
  assert.equal(v.protectedHeader.kid, 'x')
})

test('jwk sign refusals: usage (exit 2) and bad input (exit 1)', async () => {
  assert.equal((await runJwk(['sign', '--claims', '{}'], files)).status, 2)
  assert.equal((await runJwk(['sign', '--key', 'key.json'], files)).status, 2)
  assert.equal((await runJwk(['sign', '--key', 'key.json', '--claims', '{}', '--payload', 'data.bin'], files)).status, 2)
  assert.equal((await runJwk(['sign', '--key', 'key.json', '--claims', '{}', '--exp', 'soon'], files)).status, 2)
  const bad = await runJwk(['sign', '--key', 'key.json', '--claims', '[1]'], files)
  assert.equal(bad.status, 1)
  assert.match(bad.stderr, /ERR_JWT_INVALID/)
  const wrongAlg = await runJwk(['sign', '--key', 'key.json', '--claims', '{}', '--alg', 'HS256'], files)
  assert.equal(wrongAlg.status, 1)
  assert.match(wrongAlg.stderr, /ERR_ALG_NOT_ALLOWED/)
  const none = await runJwk(['sign', '--key', 'key.json', '--claims', '{}', '--alg', 'none'], files)
  assert.match(none.stderr, /ERR_ALG_NONE/)
})
