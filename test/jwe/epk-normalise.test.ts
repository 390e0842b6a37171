/**
 * Issue 10: keys that arrive inside tokens follow the same rule as any other key. A JWE `epk`
 * (RFC 7518 §4.6.1.1) spelled as PyJWT/Authlib write it (a coordinate without its leading zero
 * octet) or with padding decrypts by default and is refused under `strict`; an embedded `jwk`
 * through `insecureEmbeddedJwkResolver` likewise. Token segments themselves stay strict in both
 * modes: a signature covers the exact bytes.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createCipheriv, createECDH, createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, type JsonWebKey } from 'node:crypto'
import { decryptJwe } from '../../src/jwe/decrypt.ts'
import { verifyJws } from '../../src/jws/verify.ts'
import { insecureEmbeddedJwkResolver } from '../../src/jws/embedded-jwk.ts'
import { isJwkitError } from '../../src/errors.ts'
import type { Jwk } from '../../src/jwk/types.ts'

const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64url')
const code = (c: string) => (e: unknown) => isJwkitError(e) && e.code === c
const recipient = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const recipientJwk = recipient.privateKey.export({ format: 'jwk' }) as unknown as Jwk

/** An ephemeral P-256 key whose x starts with a zero octet (PyJWT writes it 31 octets long). */
function ephemeralWithZeroX(): { ecdh: ReturnType<typeof createECDH>; x: Buffer; y: Buffer } {
  for (;;) {
    const ecdh = createECDH('prime256v1')
    const pub = ecdh.generateKeys()
    if (pub[1] === 0) return { ecdh, x: pub.subarray(1, 33), y: pub.subarray(33) }
  }
}

/** RFC 7518 §4.6.2 Concat KDF for ECDH-ES direct agreement with A128GCM, no apu/apv. */
function concatKdf(z: Buffer): Buffer {
  const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b }
  const alg = Buffer.from('A128GCM')
  return createHash('sha256').update(Buffer.concat([u32(1), z, u32(alg.length), alg, u32(0), u32(0), u32(128)])).digest().subarray(0, 16)
}

/** A compact ECDH-ES JWE whose protected header carries `epk` exactly as given. */
function jweWithEpk(epk: Record<string, string>, ecdh: ReturnType<typeof createECDH>): string {
  const recipientPoint = Buffer.concat([Buffer.from([4]), Buffer.from(recipientJwk.kty === 'EC' ? recipientJwk.x : '', 'base64url'), Buffer.from(recipientJwk.kty === 'EC' ? recipientJwk.y : '', 'base64url')])
  const cek = concatKdf(ecdh.computeSecret(recipientPoint))
  const header = b64(JSON.stringify({ alg: 'ECDH-ES', enc: 'A128GCM', epk }))
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-128-gcm', cek, iv)
  cipher.setAAD(Buffer.from(header, 'latin1'))
  const ct = Buffer.concat([cipher.update('from PyJWT'), cipher.final()])
  return `${header}..${b64(iv)}.${b64(ct)}.${b64(cipher.getAuthTag())}`
}

test('a JWE epk with a short coordinate (PyJWT, Authlib) or padding decrypts by default; strict refuses it', async () => {
  const { ecdh, x, y } = ephemeralWithZeroX()
  const canonical = { kty: 'EC', crv: 'P-256', x: b64(x), y: b64(y) }
  const ok = await decryptJwe(jweWithEpk(canonical, ecdh), recipientJwk, { strict: true })
  assert.equal(Buffer.from(ok.plaintext).toString(), 'from PyJWT')
  for (const epk of [{ ...canonical, x: b64(x.subarray(1)) }, { ...canonical, y: y.toString('base64') }]) {
    const jwe = jweWithEpk(epk, ecdh)
    assert.equal(Buffer.from((await decryptJwe(jwe, recipientJwk)).plaintext).toString(), 'from PyJWT')
    await assert.rejects(decryptJwe(jwe, recipientJwk, { strict: true }), code('ERR_JWE_INVALID'))
  }
  // What has two readings stays refused in both modes.
  const spaced = jweWithEpk({ ...canonical, x: canonical.x.slice(0, 5) + ' ' + canonical.x.slice(5) }, ecdh)
  await assert.rejects(decryptJwe(spaced, recipientJwk), code('ERR_JWE_INVALID'))
  await assert.rejects(decryptJwe(spaced, recipientJwk, { strict: true }), code('ERR_JWE_INVALID'))
})

test('the JWE segments stay strict in both modes (padding on the IV or tag is refused)', async () => {
  const { ecdh, x, y } = ephemeralWithZeroX()
  const jwe = jweWithEpk({ kty: 'EC', crv: 'P-256', x: b64(x), y: b64(y) }, ecdh)
  const parts = jwe.split('.')
  const padded = [...parts.slice(0, 4), Buffer.from(parts[4]!, 'base64url').toString('base64')].join('.')
  for (const options of [{}, { strict: true }]) await assert.rejects(decryptJwe(padded, recipientJwk, options), code('ERR_JWE_INVALID'))
})

test('an embedded jwk in a non-canonical spelling verifies by default; the resolver or verifier under strict refuses it', async () => {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const pub = pair.publicKey.export({ format: 'jwk' }) as Record<string, string>
  const odd = { ...pub, x: Buffer.from(pub.x!, 'base64url').toString('base64'), y: b64(Buffer.concat([Buffer.alloc(1), Buffer.from(pub.y!, 'base64url')])) }
  const input = `${b64(JSON.stringify({ alg: 'ES256', jwk: odd }))}.${b64('payload')}`
  const token = `${input}.${b64(sign('sha256', Buffer.from(input), { key: createPrivateKey({ key: pair.privateKey.export({ format: 'jwk' }) as JsonWebKey, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }))}`
  const r = await verifyJws(token, insecureEmbeddedJwkResolver({ algorithms: ['ES256'] }))
  assert.equal(r.key.x, pub.x, 'the key reported is canonical')
  assert.equal(r.key.y, pub.y)
  await assert.rejects(verifyJws(token, insecureEmbeddedJwkResolver({ algorithms: ['ES256'], strict: true })), code('ERR_JWK_INVALID'))
  await assert.rejects(verifyJws(token, insecureEmbeddedJwkResolver({ algorithms: ['ES256'] }), { strict: true }), code('ERR_JWK_INVALID'))
  // The signature segment is strict in both modes.
  const parts = token.split('.')
  const paddedSig = `${parts[0]}.${parts[1]}.${Buffer.from(parts[2]!, 'base64url').toString('base64')}`
  for (const options of [{}, { strict: true }]) await assert.rejects(verifyJws(paddedSig, insecureEmbeddedJwkResolver({ algorithms: ['ES256'] }), options), code('ERR_JWS_INVALID'))
})

test('any JSON value handed to verifyJws is data: ERR_JWS_INVALID, never a TypeError', async () => {
  for (const value of [null, 42, true, [], [1, 2]]) await assert.rejects(verifyJws(value as never, recipientJwk), code('ERR_JWS_INVALID'))
  await assert.rejects(verifyJws('not a token', recipientJwk), code('ERR_JWS_INVALID'))
  await assert.rejects(verifyJws(undefined as never, recipientJwk), TypeError)
  // A key that is a JSON value other than an object: a refusal, never a TypeError.
  for (const key of [null, 42, false]) await assert.rejects(verifyJws('a.b.c', key as never), (e: unknown) => isJwkitError(e))
})
