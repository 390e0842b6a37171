// Issue 10: a remote set shaped as real providers publish it (PayPal's real keys beside ones we
// hold the private half of, respelled as Battle.net and PyJWT write them) keeps working with its
// usable keys; stats list what was skipped and normalised; a token whose kid names a skipped key
// hears why; `strict` skips the non-canonical keys instead. `jwk fetch` reports the same.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { generateKeyPairSync } from 'node:crypto'
import { createRemoteJwks } from '../../src/jwks/remote.ts'
import { verifyJwt } from '../../src/jwt/verify.ts'
import { signJwt } from '../../src/jwt/sign.ts'
import { exportJwk } from '../../src/crypto/export.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { isJwkitError } from '../../src/errors.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { startServer } from './http-server.ts'
import { runCli } from '../cli/helpers.ts'

const server = await startServer()
after(() => server.close())

const paypal = (JSON.parse(readFileSync(new URL('../vectors/providers/panva-wellknown.json', import.meta.url), 'utf8')) as { sets: Record<string, { keys: Jwk[] }> }).sets.paypal!
const rsa = exportJwk(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)
const ec = exportJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)
const rsaPub = toPublicJwk(rsa) as Jwk & { n: string }
const ecPub = toPublicJwk(ec) as Jwk & { x: string; y: string }
// Battle.net's spelling of our RSA key; an EC key with a sign octet on y (Keycloak before 20).
const battle = { ...rsaPub, kid: 'ours-rsa', n: Buffer.concat([Buffer.alloc(1), Buffer.from(rsaPub.n, 'base64url')]).toString('base64') }
const keycloak = { ...ecPub, kid: 'ours-ec', y: Buffer.concat([Buffer.alloc(1), Buffer.from(ecPub.y, 'base64url')]).toString('base64url') }
const weak = { ...toPublicJwk(exportJwk(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey)), kid: 'weak' }
const broken = { kty: 'EC', crv: 'P-256', kid: 'broken', x: ecPub.x, y: ecPub.y.slice(0, 10) + ' ' + ecPub.y.slice(10) }
const body = { keys: [...paypal.keys, battle, keycloak, weak, broken] }
server.handle((req) => (req.path === '/jwks' ? { body, headers: { 'cache-control': 'max-age=300' } } : { status: 404 }))

test('a remote set with unusable keys keeps working with the usable ones; stats list skipped and normalised', async () => {
  const events: Array<{ normalized: readonly unknown[] }> = []
  const jwks = createRemoteJwks(server.url('/jwks'), { onFetch: (e) => events.push(e) })
  assert.equal((await verifyJwt(await signJwt({ sub: 'a' }, rsa, { alg: 'RS256', kid: 'ours-rsa' }), jwks)).key.n, rsaPub.n)
  assert.equal(events[0]!.normalized.length, 8, 'onFetch reports the normalised members')
  assert.equal((await verifyJwt(await signJwt({ sub: 'b' }, ec, { alg: 'ES256', kid: 'ours-ec' }), jwks)).key.y, ecPub.y)
  const stats = jwks.stats
  const skippedPaths = stats.skippedKeys.map((p) => p.path)
  assert.ok(skippedPaths.includes('/keys/17'), 'the weak key') // 15 PayPal keys (0-14), then ours
  assert.ok(skippedPaths.includes('/keys/18'), 'the broken key')
  assert.ok(skippedPaths.includes('/keys/7'), "PayPal's X25519 key: no signature algorithm")
  assert.equal(stats.skipped, stats.skippedKeys.length)
  const normalised = new Set(stats.normalized.map((p) => p.path))
  for (const path of ['/keys/0/n', '/keys/7/x', '/keys/15/n', '/keys/16/y']) assert.ok(normalised.has(path), path)
  // PayPal's own RSA signing keys with a sign octet are among the usable keys, canonical.
  const usable = jwks.jwks()!.keys
  assert.ok(usable.some((k) => k.kid === paypal.keys[0]!.kid && (k as { n: string }).n === Buffer.from(String((paypal.keys[0] as { n: string }).n), 'base64url').subarray(1).toString('base64url')))
  // A token for a skipped key says why, member and rule, never key material.
  const refusal = await verifyJwt(await signJwt({}, ec, { alg: 'ES256', kid: 'broken' }), jwks).catch((e: unknown) => e)
  assert.ok(isJwkitError(refusal))
  assert.equal(refusal.code, 'ERR_JWKS_NO_MATCHING_KEY')
  assert.match(refusal.message, /key "broken" was in the set but skipped: EC key: member y is not canonical unpadded base64url: it holds whitespace/)
  assert.ok(!refusal.message.includes(ecPub.y.slice(0, 10)))
})

test('strict: the non-canonical keys are skipped, the canonical ones still serve', async () => {
  const jwks = createRemoteJwks(server.url('/jwks'), { strict: true })
  await assert.rejects(verifyJwt(await signJwt({}, rsa, { alg: 'RS256', kid: 'ours-rsa' }), jwks), (e: unknown) => isJwkitError(e) && e.code === 'ERR_JWKS_NO_MATCHING_KEY' && /skipped: RSA key: member n is not canonical/.test(e.message))
  assert.equal(jwks.stats.normalized.length, 0)
  assert.equal(jwks.jwks()!.keys.length, 9, "PayPal's 9 canonical signing keys") // 15 − 6 non-canonical (the X25519 key among them)
})

test('jwk fetch lists the normalised members and the skipped keys; --strict skips instead', async () => {
  const r = await runCli(['fetch', server.url('/jwks')], { readInput: () => Buffer.alloc(0) })
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stderr, /18 usable keys, 1 skipped, 8 members normalised/)
  assert.match(r.stderr, /norm {2}\/keys\/16\/y: JWK: member y: leading zero octets removed to the 32-octet field length of P-256/)
  assert.match(r.stderr, /skip {2}\/keys\/18 ERR_JWK_INVALID: .*whitespace/)
  const printed = JSON.parse(r.stdout) as { keys: Jwk[] }
  assert.equal((printed.keys.find((k) => k.kid === 'ours-rsa') as { n: string }).n, rsaPub.n, 'the printed set is canonical')
  const json = JSON.parse((await runCli(['fetch', server.url('/jwks'), '--json'], { readInput: () => Buffer.alloc(0) })).stdout) as { normalized: unknown[] }
  assert.equal(json.normalized.length, 8)
  const strict = await runCli(['fetch', server.url('/jwks'), '--strict'], { readInput: () => Buffer.alloc(0) })
  assert.match(strict.stderr, /10 usable keys, 9 skipped, 0 members normalised/)
})
