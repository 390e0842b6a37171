import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac, createSecretKey, generateKeyPairSync, randomBytes, sign as nodeSign } from 'node:crypto'
import { signJws } from '../../src/jws/sign.ts'
import { verifyJws } from '../../src/jws/verify.ts'
import { signJwt } from '../../src/jwt/sign.ts'
import { verifyJwt } from '../../src/jwt/verify.ts'
import { createLocalJwks } from '../../src/jwks/local.ts'
import { exportJwk } from '../../src/crypto/export.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { isJwkitError } from '../../src/errors.ts'
import type { Jwk } from '../../src/jwk/types.ts'

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const ed = generateKeyPairSync('ed25519')
const rsaJwk = exportJwk(rsa.privateKey)
const rsaPublicJwk = toPublicJwk(rsaJwk)
const ecJwk = exportJwk(ec.privateKey)
const ecPublicJwk = toPublicJwk(ecJwk)
const secret = randomBytes(32)
const hmacJwk: Jwk = { kty: 'oct', k: secret.toString('base64url') }
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')
const code = (c: string) => (e: unknown) => isJwkitError(e) && e.code === c

/** A compact JWS with any header, HMAC-signed with `key` (for forging tokens in tests). */
function hmacToken(header: object | string, payload: object | string, key: Uint8Array | string = secret, hash = 'sha256'): string {
  const input = `${b64(header)}.${b64(payload)}`
  return `${input}.${createHmac(hash, key).update(input).digest('base64url')}`
}

test('alg none in any letter case is ERR_ALG_NONE on every path', async () => {
  for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
    const token = `${b64({ alg })}.${b64({ sub: 'a' })}.`
    await assert.rejects(verifyJwt(token, rsaPublicJwk), code('ERR_ALG_NONE'))
    await assert.rejects(verifyJwt(token, hmacJwk, { algorithms: [alg, 'HS256'] }), code('ERR_ALG_NONE'))
    await assert.rejects(verifyJws(token, createLocalJwks([rsaPublicJwk])), code('ERR_ALG_NONE'))
    await assert.rejects(verifyJws({ payload: b64('x'), protected: b64({ alg }), signature: '' }, rsaPublicJwk), code('ERR_ALG_NONE'))
    await assert.rejects(verifyJws({ payload: b64('x'), header: { alg }, signature: '' }, rsaPublicJwk), code('ERR_ALG_NONE'))
  }
  await assert.rejects(signJws('x', hmacJwk, { alg: 'none' }), code('ERR_ALG_NONE'))
})

test('an algorithm outside the allowlist is ERR_ALG_NOT_ALLOWED', async () => {
  const token = await signJwt({ sub: 'a' }, rsa.privateKey, { alg: 'RS256' })
  await assert.rejects(verifyJwt(token, rsa.publicKey, { algorithms: ['PS256'] }), code('ERR_ALG_NOT_ALLOWED'))
  await assert.rejects(verifyJws(token, rsa.publicKey, { algorithms: ['ES256'] }), code('ERR_ALG_NOT_ALLOWED'))
  // Default allowlist: the key's own alg.
  const ps = await signJwt({ sub: 'a' }, rsa.privateKey, { alg: 'PS256' })
  await assert.rejects(verifyJwt(ps, { ...rsaPublicJwk, alg: 'RS256' } as Jwk), code('ERR_ALG_NOT_ALLOWED'))
  assert.equal((await verifyJwt(ps, rsaPublicJwk)).claims.sub, 'a') // no alg: what RSA permits
})

test('algorithm confusion: HS256 with an RSA public key as JWK, PEM text, JSON text, KeyObject is refused', async () => {
  const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string
  const jsonText = JSON.stringify(rsaPublicJwk)
  for (const macKey of [pem, jsonText, Buffer.from(pem), Buffer.from(rsaPublicJwk.n as string, 'base64url')]) {
    const token = hmacToken({ alg: 'HS256' }, { sub: 'admin' }, macKey)
    for (const key of [rsaPublicJwk, pem, jsonText, rsa.publicKey]) {
      await assert.rejects(verifyJwt(token, key), code('ERR_ALG_NOT_ALLOWED'))
      await assert.rejects(verifyJwt(token, key, { algorithms: ['HS256', 'RS256'] }), code('ERR_ALG_NOT_ALLOWED'))
    }
    await assert.rejects(verifyJwt(token, createLocalJwks([rsaPublicJwk])), code('ERR_JWKS_NO_MATCHING_KEY'))
  }
  // EC and OKP keys too.
  const t2 = hmacToken({ alg: 'HS256' }, { sub: 'x' })
  await assert.rejects(verifyJwt(t2, ecPublicJwk, { algorithms: ['HS256'] }), code('ERR_ALG_NOT_ALLOWED'))
  await assert.rejects(verifyJwt(t2, ed.publicKey, { algorithms: ['HS256'] }), code('ERR_ALG_NOT_ALLOWED'))
  // Raw bytes are never an HMAC key: a caller mistake.
  await assert.rejects(verifyJwt(t2, secret as never), TypeError)
  await assert.rejects(verifyJwt(t2, 'not a key'), TypeError)
})

test('key use, key_ops and alg forbidding the operation are ERR_KEY_USAGE_FORBIDDEN', async () => {
  const token = await signJwt({ sub: 'a' }, rsa.privateKey, { alg: 'RS256' })
  await assert.rejects(verifyJwt(token, { ...rsaPublicJwk, use: 'enc' }), code('ERR_KEY_USAGE_FORBIDDEN'))
  await assert.rejects(verifyJwt(token, { ...rsaPublicJwk, key_ops: ['encrypt'] }), code('ERR_KEY_USAGE_FORBIDDEN'))
  await assert.rejects(verifyJwt(token, { ...rsaPublicJwk, alg: 'PS256' } as Jwk, { algorithms: ['RS256'] }), code('ERR_KEY_USAGE_FORBIDDEN'))
  await assert.rejects(signJwt({}, { ...rsaJwk, key_ops: ['verify'] }, { alg: 'RS256' }), code('ERR_KEY_USAGE_FORBIDDEN'))
  await assert.rejects(signJwt({}, { ...rsaJwk, use: 'enc' }, { alg: 'RS256' }), code('ERR_KEY_USAGE_FORBIDDEN'))
  assert.equal((await verifyJwt(token, { ...rsaPublicJwk, use: 'sig', key_ops: ['verify'], alg: 'RS256' } as Jwk)).claims.sub, 'a')
})

test('embedded jwk, jku, x5u, x5c never choose the key', async () => {
  const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const attackerJwk = exportJwk(attacker.publicKey)
  const header = { alg: 'ES256', jwk: attackerJwk, jku: 'https://evil.example/jwks', x5u: 'https://evil.example/x', x5c: ['AAAA'] }
  const input = `${b64(header)}.${b64({ sub: 'admin' })}`
  const token = `${input}.${nodeSign('sha256', Buffer.from(input), { key: attacker.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`
  await assert.rejects(verifyJwt(token, ecPublicJwk), code('ERR_JWS_SIGNATURE_INVALID'))
  await assert.rejects(verifyJwt(token, createLocalJwks([ecPublicJwk])), code('ERR_JWS_SIGNATURE_INVALID'))
})

test('ECDSA: r or s = 0 or >= n, wrong length, DER are ERR_JWS_SIGNATURE_INVALID', async () => {
  const token = await signJwt({ sub: 'a' }, ec.privateKey, { alg: 'ES256' })
  const [h, p, s] = token.split('.')
  const sig = Buffer.from(s!, 'base64url')
  const n = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex')
  const der = nodeSign('sha256', Buffer.from(`${h}.${p}`), ec.privateKey)
  for (const bad of [Buffer.alloc(64), Buffer.concat([n, sig.subarray(32)]), Buffer.concat([sig.subarray(0, 32), n]),
    Buffer.concat([Buffer.alloc(32), sig.subarray(32)]), sig.subarray(0, 63), Buffer.concat([sig, Buffer.alloc(1)]), der]) {
    await assert.rejects(verifyJwt(`${h}.${p}.${bad.toString('base64url')}`, ec.publicKey), code('ERR_JWS_SIGNATURE_INVALID'))
  }
})

test('tampering with header, payload or signature reads the same', async () => {
  const token = await signJwt({ sub: 'a', role: 'user' }, ed.privateKey, { alg: 'EdDSA' })
  const [h, p, s] = token.split('.')
  const variants = [
    `${b64({ alg: 'EdDSA', typ: 'JWT', x: 1 })}.${p}.${s}`,
    `${h}.${b64({ sub: 'a', role: 'admin' })}.${s}`,
    `${h}.${p}.${Buffer.from(s!, 'base64url').reverse().toString('base64url')}`,
    `${h}.${p}.`,
  ]
  const messages = new Set<string>()
  for (const v of variants) {
    await assert.rejects(verifyJwt(v, ed.publicKey), (e) => { messages.add((e as Error).message); return code('ERR_JWS_SIGNATURE_INVALID')(e) })
  }
  assert.equal(messages.size, 1)
})

test('non-canonical base64url, segment count, size bound, non-object or deep or duplicate JSON', async () => {
  const token = hmacToken({ alg: 'HS256' }, { sub: 'a' })
  const [h, p, s] = token.split('.')
  for (const bad of [`${h}=.${p}.${s}`, `${h}.${p}=.${s}`, `${h}.${p}.${s}=`, `${h}.${p}.${s!.slice(0, -1)}B` /* non-zero trailing bits */,
    ` ${h}.${p}.${s}`, `${h}.${p}.${s!.replace(/-/g, '+')}+/`, `${h}.${p} .${s}`]) {
    await assert.rejects(verifyJwt(bad, hmacJwk), code('ERR_JWS_INVALID'), bad.slice(0, 20))
  }
  for (const bad of [`${h}.${p}`, `${h}.${p}.${s}.`, `${h}.${p}.${s}.x.y`, '', '..']) {
    await assert.rejects(verifyJwt(bad, hmacJwk), code('ERR_JWS_INVALID'))
  }
  await assert.rejects(verifyJwt(hmacToken({ alg: 'HS256' }, { big: 'x'.repeat(300 * 1024) }), hmacJwk), code('ERR_INPUT_TOO_LARGE'))
  await assert.rejects(verifyJwt(token, hmacJwk, { maxBytes: 20 }), code('ERR_INPUT_TOO_LARGE'))
  await assert.rejects(verifyJwt(hmacToken('[1]', { a: 1 }), hmacJwk), code('ERR_JWS_INVALID'))
  await assert.rejects(verifyJwt(hmacToken('{"alg":"HS256","alg":"HS256"}', { a: 1 }), hmacJwk), code('ERR_JWS_INVALID'))
  await assert.rejects(verifyJwt(hmacToken(`{"alg":"HS256","x":${'['.repeat(40)}${']'.repeat(40)}}`, { a: 1 }), hmacJwk), code('ERR_JWS_INVALID'))
  await assert.rejects(verifyJwt(hmacToken('{"alg":"HS256"', { a: 1 }), hmacJwk), code('ERR_JWS_INVALID'))
  await assert.rejects(verifyJwt(hmacToken({ alg: 'HS256' }, '[1,2]'), hmacJwk), code('ERR_JWT_INVALID'))
  await assert.rejects(verifyJwt(hmacToken({ alg: 'HS256' }, '"str"'), hmacJwk), code('ERR_JWT_INVALID'))
  await assert.rejects(verifyJwt(hmacToken({ alg: 'HS256' }, '{"sub":"a","sub":"b"}'), hmacJwk), code('ERR_JWT_INVALID'))
  await assert.rejects(verifyJwt(hmacToken({ alg: 'HS256' }, `{"a":${'['.repeat(40)}${']'.repeat(40)}}`), hmacJwk), code('ERR_JWT_INVALID'))
  await assert.rejects(verifyJwt(hmacToken({ alg: 'HS256' }, 'not json'), hmacJwk), code('ERR_JWT_INVALID'))
  await assert.rejects(verifyJwt(hmacToken({ alg: 7 }, { a: 1 }), hmacJwk), code('ERR_JWS_INVALID'))
  await assert.rejects(verifyJwt(hmacToken({ alg: 'HS256', kid: 7 }, { a: 1 }), hmacJwk), code('ERR_JWS_INVALID'))
  await assert.rejects(verifyJws({ payload: 'x', signatures: Array(17).fill({ protected: h, signature: s }) }, hmacJwk), code('ERR_INPUT_TOO_LARGE'))
  await assert.rejects(verifyJws({ payload: 'x', signature: 'x'.repeat(300 * 1024), protected: h }, hmacJwk), code('ERR_INPUT_TOO_LARGE'))
})

test('crit: protected, non-empty, understood, present; b64:false only with crit, never for JWTs', async () => {
  const cases: Array<[object, string]> = [
    [{ alg: 'HS256', crit: [] }, 'ERR_JWS_INVALID'],
    [{ alg: 'HS256', crit: 'exp' }, 'ERR_JWS_INVALID'],
    [{ alg: 'HS256', crit: ['alg'] }, 'ERR_JWS_INVALID'],
    [{ alg: 'HS256', crit: ['exp'], exp: 1 }, 'ERR_JWS_CRIT_UNSUPPORTED'],
    [{ alg: 'HS256', crit: ['b64'] }, 'ERR_JWS_CRIT_UNSUPPORTED'],
    [{ alg: 'HS256', b64: false }, 'ERR_JWS_CRIT_UNSUPPORTED'],
    [{ alg: 'HS256', b64: 'false', crit: ['b64'] }, 'ERR_JWS_INVALID'],
    [{ alg: 'HS256', b64: false, crit: ['b64'] }, 'ERR_JWT_INVALID'],
  ]
  for (const [header, expected] of cases) {
    await assert.rejects(verifyJwt(hmacToken(header, { a: 1 }), hmacJwk), code(expected), JSON.stringify(header))
  }
  // An extension the caller understands passes; it must also be present.
  const withExt = hmacToken({ alg: 'HS256', crit: ['http://example.com/x'], 'http://example.com/x': 1 }, { a: 1 })
  await assert.rejects(verifyJwt(withExt, hmacJwk), code('ERR_JWS_CRIT_UNSUPPORTED'))
  assert.equal((await verifyJwt(withExt, hmacJwk, { crit: ['http://example.com/x'] })).claims.a, 1)
  await assert.rejects(verifyJwt(hmacToken({ alg: 'HS256', crit: ['ext'] }, { a: 1 }), hmacJwk, { crit: ['ext'] }), code('ERR_JWS_CRIT_UNSUPPORTED'))
  // crit or b64 in the unprotected header: refused.
  const flat = await signJws('x', hmacJwk, { alg: 'HS256', serialization: 'flattened', header: { crit: ['b64'] } as never })
  await assert.rejects(verifyJws(flat, hmacJwk), code('ERR_JWS_INVALID'))
  const dup = await signJws('x', hmacJwk, { alg: 'HS256', serialization: 'flattened', header: { alg: 'HS256' } })
  await assert.rejects(verifyJws(dup, hmacJwk), code('ERR_JWS_INVALID'))
})

test('RSA under 2048 bits and HMAC keys shorter than the hash are ERR_JWK_WEAK_KEY', async () => {
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 })
  const input = `${b64({ alg: 'RS256' })}.${b64({ a: 1 })}`
  const token = `${input}.${nodeSign('sha256', Buffer.from(input), small.privateKey).toString('base64url')}`
  await assert.rejects(verifyJwt(token, small.publicKey), code('ERR_JWK_WEAK_KEY'))
  await assert.rejects(verifyJwt(token, exportJwk(small.publicKey)), code('ERR_JWK_WEAK_KEY'))
  await assert.rejects(signJwt({}, small.privateKey, { alg: 'PS256' }), code('ERR_JWK_WEAK_KEY'))
  const short = randomBytes(31)
  await assert.rejects(verifyJwt(hmacToken({ alg: 'HS256' }, { a: 1 }, short), { kty: 'oct', k: short.toString('base64url') }), code('ERR_JWK_WEAK_KEY'))
  await assert.rejects(verifyJwt(hmacToken({ alg: 'HS256' }, { a: 1 }, short), createSecretKey(short)), code('ERR_JWK_WEAK_KEY'))
  await assert.rejects(signJwt({}, hmacJwk, { alg: 'HS512' }), code('ERR_JWK_WEAK_KEY'))
})

test('a key source that yields no key is ERR_JWKS_NO_MATCHING_KEY; errors carry no token, key or payload', async () => {
  const token = await signJwt({ sub: 'secret-subject-value' }, ec.privateKey, { alg: 'ES256', kid: 'nope' })
  await assert.rejects(verifyJwt(token, createLocalJwks([{ ...ecPublicJwk, kid: 'other' }])), code('ERR_JWKS_NO_MATCHING_KEY'))
  await assert.rejects(verifyJwt(token, { getKeys: () => [] }), code('ERR_JWKS_NO_MATCHING_KEY'))
  await assert.rejects(verifyJwt(token, { getKeys: async () => [] }), code('ERR_JWKS_NO_MATCHING_KEY'))
  const [h, p, s] = token.split('.')
  const attempts = [`${h}.${p}.${s}x`, `${h}.${p}x.${s}`, token, `${h}.${b64({ sub: 'secret-subject-value', exp: 1 })}.${s}`]
  for (const t of attempts) {
    for (const key of [rsaPublicJwk, ecPublicJwk, hmacJwk]) {
      try {
        await verifyJwt(t, key, { issuer: 'secret-issuer' })
        assert.fail('verified')
      } catch (e) {
        assert.ok(isJwkitError(e))
        const text = JSON.stringify({ m: e.message, d: e.detail, p: e.path })
        for (const secretText of [s!, p!, h!, 'secret-subject-value', ecJwk.d as string, hmacJwk.k as string, rsaPublicJwk.n as string]) {
          assert.ok(!text.includes(secretText), `error leaks: ${e.code}`)
        }
      }
    }
  }
})
