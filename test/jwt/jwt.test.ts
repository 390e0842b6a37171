import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto'
import { signJwt } from '../../src/jwt/sign.ts'
import { verifyJwt } from '../../src/jwt/verify.ts'
import { signJws } from '../../src/jws/sign.ts'
import { verifyJws } from '../../src/jws/verify.ts'
import { decodeJwt } from '../../src/jwt/decode.ts'
import { parseDuration } from '../../src/jwt/duration.ts'
import { normalizeTyp } from '../../src/jwt/claims.ts'
import { exportJwk } from '../../src/crypto/export.ts'
import { generateMlDsaJwk } from '../../src/crypto/ml-dsa.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { isJwkitError } from '../../src/errors.ts'
import type { Jwk } from '../../src/jwk/types.ts'

const secret = randomBytes(32)
const key: Jwk = { kty: 'oct', k: secret.toString('base64url') }
const code = (c: string) => (e: unknown) => isJwkitError(e) && e.code === c
const NOW = new Date('2026-01-01T00:00:00Z')
const now = NOW.getTime() / 1000
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')
function token(claims: object | string, header: object = { alg: 'HS256', typ: 'JWT' }): string {
  const input = `${b64(header)}.${b64(claims)}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

test('exp, nbf, iat with clock tolerance and currentDate', async () => {
  const at = { currentDate: NOW }
  await assert.rejects(verifyJwt(token({ exp: now }), key, at), code('ERR_JWT_EXPIRED'))
  await assert.rejects(verifyJwt(token({ exp: now - 1 }), key, at), code('ERR_JWT_EXPIRED'))
  assert.ok(await verifyJwt(token({ exp: now + 1 }), key, at))
  assert.ok(await verifyJwt(token({ exp: now - 5 }), key, { ...at, clockTolerance: 10 }))
  assert.ok(await verifyJwt(token({ exp: now - 5 }), key, { ...at, clockTolerance: '10s' }))
  await assert.rejects(verifyJwt(token({ nbf: now + 1 }), key, at), code('ERR_JWT_NOT_YET_VALID'))
  assert.ok(await verifyJwt(token({ nbf: now }), key, at))
  assert.ok(await verifyJwt(token({ nbf: now + 30 }), key, { ...at, clockTolerance: '1m' }))
  await assert.rejects(verifyJwt(token({ iat: now + 60 }), key, at), code('ERR_JWT_NOT_YET_VALID'))
  for (const claim of ['exp', 'nbf', 'iat']) {
    await assert.rejects(verifyJwt(token({ [claim]: String(now) }), key, at), code('ERR_JWT_INVALID'))
    await assert.rejects(verifyJwt(token({ [claim]: null }), key, at), code('ERR_JWT_INVALID'))
  }
})

test('maxTokenAge needs iat and bounds the age', async () => {
  const at = { currentDate: NOW }
  assert.ok(await verifyJwt(token({ iat: now - 30 }), key, { ...at, maxTokenAge: '1m' }))
  await assert.rejects(verifyJwt(token({ iat: now - 120 }), key, { ...at, maxTokenAge: 60 }), code('ERR_JWT_EXPIRED'))
  await assert.rejects(verifyJwt(token({ sub: 'a' }), key, { ...at, maxTokenAge: 60 }), code('ERR_JWT_CLAIM_INVALID'))
})

test('iss, aud (array any-match), sub, requiredClaims, typ', async () => {
  const t = token({ iss: 'https://issuer.example', aud: ['a', 'b'], sub: 'u1' }, { alg: 'HS256', typ: 'at+jwt' })
  const r = await verifyJwt(t, key, { issuer: 'https://issuer.example', audience: 'b', subject: 'u1', typ: 'application/AT+JWT', requiredClaims: ['sub'] })
  assert.equal(r.claims.sub, 'u1')
  assert.ok(await verifyJwt(t, key, { issuer: ['x', 'https://issuer.example'], audience: ['z', 'a'] }))
  await assert.rejects(verifyJwt(t, key, { issuer: 'https://other.example' }), code('ERR_JWT_CLAIM_INVALID'))
  await assert.rejects(verifyJwt(t, key, { audience: 'c' }), code('ERR_JWT_CLAIM_INVALID'))
  await assert.rejects(verifyJwt(token({ sub: 'x' }), key, { audience: 'c' }), code('ERR_JWT_CLAIM_INVALID'))
  await assert.rejects(verifyJwt(t, key, { subject: 'u2' }), code('ERR_JWT_CLAIM_INVALID'))
  await assert.rejects(verifyJwt(t, key, { typ: 'JWT' }), code('ERR_JWT_CLAIM_INVALID'))
  await assert.rejects(verifyJwt(token({}, { alg: 'HS256' }), key, { typ: 'at+jwt' }), code('ERR_JWT_CLAIM_INVALID'))
  await assert.rejects(verifyJwt(t, key, { requiredClaims: ['jti'] }), code('ERR_JWT_CLAIM_INVALID'))
  await assert.rejects(verifyJwt(token({ aud: 7 }), key), code('ERR_JWT_INVALID'))
  await assert.rejects(verifyJwt(token({ iss: 7 }), key), code('ERR_JWT_INVALID'))
  assert.equal(normalizeTyp('application/JWT'), 'jwt')
})

test('signJwt sets registered claims and typ; verifyJwt round trip for every algorithm family', async () => {
  const t = await signJwt({ scope: 'read' }, key, { alg: 'HS256', expiresIn: '10m', notBefore: 0, issuer: 'i', audience: ['a'], subject: 's', jti: 'j', iat: NOW, kid: 'k1', typ: 'at+jwt' })
  const r = await verifyJwt(t, key, { currentDate: NOW, issuer: 'i', audience: 'a', typ: 'at+jwt' })
  assert.deepEqual(r.claims, { scope: 'read', iat: now, exp: now + 600, nbf: now, iss: 'i', aud: ['a'], sub: 's', jti: 'j' })
  assert.deepEqual(r.protectedHeader, { alg: 'HS256', typ: 'at+jwt', kid: 'k1' })
  const pairs: Array<[string, Jwk]> = [
    ['ES384', exportJwk(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey)],
    ['Ed448', exportJwk(generateKeyPairSync('ed448').privateKey)],
    ['Ed25519', exportJwk(generateKeyPairSync('ed25519').privateKey)],
    ['ML-DSA-44', generateMlDsaJwk('ML-DSA-44')],
  ]
  for (const [alg, priv] of pairs) {
    const tok = await signJwt({ sub: alg }, priv, { alg })
    const v = await verifyJwt(tok, toPublicJwk(priv))
    assert.equal(v.claims.sub, alg)
    assert.equal(v.key.d, undefined)
  }
  await assert.rejects(signJwt({}, key), TypeError) // no alg on the key, none given
  assert.equal(parseDuration('2h'), 7200)
  assert.throws(() => parseDuration('soon'), TypeError)
})

test('general serialization with several signers reports which signature verified; detached payloads', async () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const ed = generateKeyPairSync('ed25519')
  const general = await signJws('hello', ec.privateKey, {
    alg: 'ES256', kid: 'ec', serialization: 'general', header: { note: 'x' },
    signers: [{ key: ed.privateKey, alg: 'EdDSA', kid: 'ed' }],
  })
  assert.equal(general.signatures.length, 2)
  assert.equal((await verifyJws(general, ec.publicKey)).signatureIndex, 0)
  const r = await verifyJws(general, ed.publicKey)
  assert.equal(r.signatureIndex, 1)
  assert.equal(r.protectedHeader.kid, 'ed')
  await assert.rejects(verifyJws(general, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey), code('ERR_JWS_SIGNATURE_INVALID'))
  const detached = await signJws('content', key, { alg: 'HS256', detached: true })
  assert.match(detached, /^[\w-]+\.\.[\w-]+$/)
  assert.equal(Buffer.from((await verifyJws(detached, key, { detachedPayload: 'content' })).payload).toString(), 'content')
  await assert.rejects(verifyJws(detached, key, { detachedPayload: 'other' }), code('ERR_JWS_SIGNATURE_INVALID'))
  const flat = await signJws('content', key, { alg: 'HS256', serialization: 'flattened', detached: true })
  assert.equal('payload' in flat, false)
  assert.ok(await verifyJws(flat, key, { detachedPayload: Buffer.from('content') }))
  await assert.rejects(verifyJws(flat, key), code('ERR_JWS_INVALID'))
})

test('decodeJwt reads without verifying and says so', () => {
  const d = decodeJwt(token({ sub: 'a' }))
  assert.equal(d.verified, false)
  assert.equal(d.claims?.sub, 'a')
  assert.throws(() => decodeJwt('a.b'), code('ERR_JWS_INVALID'))
})

test('claims are read own only, without a copy: a polluted Object.prototype supplies no claim', async () => {
  const proto = Object.prototype as Record<string, unknown>
  const at = { currentDate: NOW }
  const plain = token({ sub: 'alice' })
  try {
    proto.exp = now - 3600 // would make every token expired if read through the prototype
    proto.nbf = now + 3600
    proto.iss = 'https://issuer.example'
    proto.aud = 'api'
    proto.sub = 'mallory'
    proto.jti = 42 // would be a type error if read
    proto.iat = now - 10
    assert.equal((await verifyJwt(plain, key, at)).claims.sub, 'alice')
    await assert.rejects(verifyJwt(plain, key, { ...at, issuer: 'https://issuer.example' }), code('ERR_JWT_CLAIM_INVALID'))
    await assert.rejects(verifyJwt(plain, key, { ...at, audience: 'api' }), code('ERR_JWT_CLAIM_INVALID'))
    await assert.rejects(verifyJwt(plain, key, { ...at, subject: 'mallory' }), code('ERR_JWT_CLAIM_INVALID'))
    await assert.rejects(verifyJwt(plain, key, { ...at, requiredClaims: ['exp'] }), code('ERR_JWT_CLAIM_INVALID'))
    await assert.rejects(verifyJwt(plain, key, { ...at, maxTokenAge: 60 }), code('ERR_JWT_CLAIM_INVALID'))
  } finally {
    for (const name of ['exp', 'nbf', 'iss', 'aud', 'sub', 'jti', 'iat']) delete proto[name]
  }
})

test('validateClaims on a caller-built claims object: a throwing getter is ERR_JWT_INVALID; own members are read once', async () => {
  const { validateClaims } = await import('../../src/jwt/claims.ts')
  const throwing = Object.defineProperty({}, 'exp', { enumerable: true, get() { throw new Error('boom') } })
  assert.throws(() => validateClaims(throwing, {}), code('ERR_JWT_INVALID'))
  // A claim is read, then own-checked: a trap that throws at either step is a refusal.
  const trap = new Proxy({ exp: now + 60 }, { getOwnPropertyDescriptor() { throw new Error('trap') } })
  assert.throws(() => validateClaims(trap, {}), code('ERR_JWT_INVALID'))
  const getTrap = new Proxy({}, { get() { throw new Error('trap') } })
  assert.throws(() => validateClaims(getTrap, {}), code('ERR_JWT_INVALID'))
  assert.throws(() => validateClaims({ sub: 'a' }, { requiredClaims: ['x'] }), code('ERR_JWT_CLAIM_INVALID'))
  let reads = 0
  const counted = Object.defineProperty({}, 'exp', { enumerable: true, get() { reads++; return reads === 1 ? now + 60 : now - 60 } })
  validateClaims(counted, { currentDate: NOW })
  assert.equal(reads, 1)
})

test('protected headers: alternating tokens never get each other\'s cached header', async () => {
  const a = token({ sub: 'a' }, { alg: 'HS256', kid: 'a' })
  const b = token({ sub: 'b' }, { alg: 'HS256', kid: 'b' })
  const c = token({ sub: 'c' }, { alg: 'HS256', kid: 'b', typ: 'at+jwt' })
  for (const [t, kid, sub] of [[a, 'a', 'a'], [b, 'b', 'b'], [b, 'b', 'b'], [a, 'a', 'a'], [c, 'b', 'c'], [a, 'a', 'a']] as const) {
    const r = await verifyJwt(t, key)
    assert.equal(r.protectedHeader.kid, kid)
    assert.equal(r.claims.sub, sub)
  }
  await assert.rejects(verifyJwt(a, key, { typ: 'at+jwt' }), code('ERR_JWT_CLAIM_INVALID'))
  assert.ok(await verifyJwt(c, key, { typ: 'at+jwt' }))
})
