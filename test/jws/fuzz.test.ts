import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { signJwt } from '../../src/jwt/sign.ts'
import { verifyJwt } from '../../src/jwt/verify.ts'
import { verifyJws } from '../../src/jws/verify.ts'
import { createLocalJwks } from '../../src/jwks/local.ts'
import { exportJwk } from '../../src/crypto/export.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { settle } from '../util/settle.ts'
import type { Jwk } from '../../src/jwk/types.ts'

const ec = exportJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)
const hmac: Jwk = { kty: 'oct', k: randomBytes(32).toString('base64url') }
const keys = [toPublicJwk(ec), hmac, createLocalJwks([{ ...toPublicJwk(ec), kid: 'e' }])]
const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64url')


const json = fc.jsonValue({ maxDepth: 4 })
/** Header members jwkit reads and checks (RFC 7515 §4.1, RFC 7797): a random value of these may be refused. */
const REGISTERED_HEADER = new Set(['alg', 'b64', 'crit', 'typ', 'cty', 'kid', 'jku', 'jwk', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'zip', 'enc'])
const segment = fc.oneof(
  fc.string({ maxLength: 40 }),
  json.map((v) => b64(JSON.stringify(v) ?? 'null')),
  fc.uint8Array({ maxLength: 80 }).map(b64),
  fc.dictionary(fc.constantFrom('alg', 'kid', 'typ', 'crit', 'b64', 'jwk', 'x5c', 'cty', 'zip'), json, { maxKeys: 5 }).map((h) => b64(JSON.stringify(h))),
  fc.record({ alg: fc.constantFrom('HS256', 'ES256', 'none', 'NONE', 'RS256', 'EdDSA', 'ML-DSA-44', 'ES256K', '') }).map((h) => b64(JSON.stringify(h))),
)

test('fuzz: random segments — verified or JwkitError, never another exception', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.constantFrom(0, 1, 2), async (segs, k) => {
      await settle(verifyJwt(segs.join('.'), keys[k]!))
      await settle(verifyJws(segs.join('.'), keys[k]!))
    }),
    { numRuns: 300 },
  )
})

test('fuzz: mutated valid tokens (bytes, claims, headers) never verify unless unchanged', async () => {
  const token = await signJwt({ sub: 'a', exp: 4102444800 }, ec, { alg: 'ES256', kid: 'e' })
  const htoken = await signJwt({ sub: 'a' }, hmac, { alg: 'HS256' })
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(token, htoken), fc.nat(), fc.integer({ min: 0, max: 127 }), fc.constantFrom(0, 1, 2), async (t, pos, ch, k) => {
      const i = pos % t.length
      const mutated = t.slice(0, i) + String.fromCharCode(ch) + t.slice(i + 1)
      const outcome = await settle(verifyJwt(mutated, keys[k]!))
      if (mutated !== t && outcome === 'ok') assert.fail('a mutated token verified')
    }),
    { numRuns: 400 },
  )
  // A token signed with any unregistered header members round-trips: it verifies and carries the claims.
  await fc.assert(
    fc.asyncProperty(json, fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => !REGISTERED_HEADER.has(k)), json, { maxKeys: 4 }), async (claims, extraHeader) => {
      const token = await signJwt({ c: claims }, hmac, { alg: 'HS256', protectedHeader: extraHeader })
      const { claims: got } = await verifyJwt(token, hmac)
      assert.deepEqual(got.c, JSON.parse(JSON.stringify(claims)))
    }),
    { numRuns: 150 },
  )
})

test('fuzz: JSON serialization objects', async () => {
  const obj = fc.record({
    payload: fc.option(segment, { nil: undefined }),
    protected: fc.option(segment, { nil: undefined }),
    header: fc.option(fc.dictionary(fc.string({ maxLength: 6 }), json, { maxKeys: 3 }), { nil: undefined }),
    signature: fc.oneof(segment, fc.integer() as fc.Arbitrary<unknown> as fc.Arbitrary<string>),
    signatures: fc.option(fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }), { nil: undefined }),
  }, { requiredKeys: [] })
  await fc.assert(
    fc.asyncProperty(obj, fc.constantFrom(0, 1, 2), async (jws, k) => {
      await settle(verifyJws(jws as never, keys[k]!))
    }),
    { numRuns: 300 },
  )
})
