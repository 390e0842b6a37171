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

test('jwk sign --json-serialization flattened|general and --detached; jwk verify reads them (--payload FILE)', async () => {
  const { toPublicJwk } = await import('../../src/jwk/public.ts')
  const all = { ...files, 'jwks.json': JSON.stringify({ keys: [toPublicJwk(jwk as never)] }) }
  const flat = await runJwk(['sign', '--key', 'key.json', '--payload', 'data.bin', '--json-serialization', 'flattened'], all)
  assert.equal(flat.status, 0, flat.stderr)
  const flattened = JSON.parse(flat.stdout) as { payload: string; protected: string; signature: string }
  assert.equal(Buffer.from(flattened.payload, 'base64url').toString(), 'raw payload')
  assert.equal(Buffer.from((await verifyJws(flattened, pair.publicKey)).payload).toString(), 'raw payload')
  const general = JSON.parse((await runJwk(['sign', '--key', 'key.json', '--payload', 'data.bin', '--json-serialization', 'general'], all)).stdout) as { signatures: unknown[] }
  assert.equal(general.signatures.length, 1)
  const verified = await runJwk(['verify', '--jwks', 'jwks.json', JSON.stringify(general)], all)
  assert.equal(verified.status, 0, verified.stderr)
  assert.equal(JSON.parse(verified.stdout).payload, 'raw payload')
  const detached = (await runJwk(['sign', '--key', 'key.json', '--payload', 'data.bin', '--detached'], all)).stdout.trim()
  assert.match(detached, /^[\w-]+\.\.[\w-]+$/)
  const ok = await runJwk(['verify', '--jwks', 'jwks.json', '--payload', 'data.bin', detached], all)
  assert.equal(ok.status, 0, ok.stderr)
  assert.equal(JSON.parse(ok.stdout).detached, true)
  const tampered = await runJwk(['verify', '--jwks', 'jwks.json', '--payload', 'other.bin', detached], { ...all, 'other.bin': 'other payload' })
  assert.equal(tampered.status, 1)
  assert.match(tampered.stderr, /ERR_JWS_SIGNATURE_INVALID/)
  // A compact JWS of a file (not a JWT) verifies and prints the payload — it did not before.
  const plain = (await runJwk(['sign', '--key', 'key.json', '--payload', 'data.bin'], all)).stdout.trim()
  const v = await runJwk(['verify', '--jwks', 'jwks.json', plain], all)
  assert.equal(v.status, 0, v.stderr)
  assert.equal(JSON.parse(v.stdout).payload, 'raw payload')
  // ... but claim checks refuse it: a JWS is not a JWT.
  assert.equal((await runJwk(['verify', '--jwks', 'jwks.json', '--aud', 'api', plain], all)).status, 1)
  assert.equal((await runJwk(['sign', '--key', 'key.json', '--claims', '{}', '--detached'], all)).status, 2)
  assert.equal((await runJwk(['sign', '--key', 'key.json', '--payload', 'data.bin', '--json-serialization', 'compact'], all)).status, 2)
})

test('jwk sign picks a key of a JWK Set with --kid; an encrypted PEM with --passphrase-file', async () => {
  const other = { ...exportJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey), kid: 'k2', alg: 'ES256' }
  const set = JSON.stringify({ keys: [jwk, other] })
  const encPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pem pass' }) as string
  const all = { ...files, 'set.json': set, 'enc.pem': encPem, 'pass.txt': 'pem pass\n' }
  const r = await runJwk(['sign', '--key', 'set.json', '--kid', 'k1', '--claims', '{}'], all)
  assert.equal(r.status, 0, r.stderr)
  assert.equal((await verifyJwt(r.stdout.trim(), pair.publicKey)).protectedHeader.kid, 'k1')
  const many = await runJwk(['sign', '--key', 'set.json', '--claims', '{}'], all)
  assert.equal(many.status, 2)
  assert.match(many.stderr, /pick one with --kid K/)
  assert.match((await runJwk(['sign', '--key', 'set.json', '--kid', 'k9', '--claims', '{}'], all)).stderr, /ERR_JWKS_NO_MATCHING_KEY: no key of the JWK Set has kid "k9"/)
  const locked = await runJwk(['sign', '--key', 'enc.pem', '--alg', 'ES256', '--claims', '{}'], all)
  assert.equal(locked.status, 1)
  assert.match(locked.stderr, /ERR_PASSPHRASE_REQUIRED: .*needs a passphrase: give --passphrase-file FILE or --passphrase-env VAR/)
  const opened = await runJwk(['sign', '--key', 'enc.pem', '--passphrase-file', 'pass.txt', '--alg', 'ES256', '--claims', '{"sub":"p"}'], all)
  assert.equal(opened.status, 0, opened.stderr)
  assert.equal((await verifyJwt(opened.stdout.trim(), pair.publicKey)).claims.sub, 'p')
})
