import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { assertAccepted, assertRefused, b64, keyZoo, readVector, without, type Json } from './helpers.ts'

const zoo = keyZoo()
const ec = without(zoo.p256!, 'd')
const certs = JSON.parse(readFileSync(new URL('./fixtures/certificates.json', import.meta.url), 'utf8')) as Record<string, { x5c: string[]; jwk: Json }>
const rfcB = ((readVector('rfc-examples.json') as Array<{ id: string; input: { jwk: Json } }>).find((c) => c.id === 'rfc7517-B')!).input.jwk

describe('kid, x5u, ext (RFC 7517 §4.5, §4.6)', () => {
  it('kid and x5u are strings, ext a boolean', () => {
    assertRefused({ ...ec, kid: 7 }, 'ERR_JWK_INVALID', '/kid')
    assertRefused({ ...ec, x5u: {} }, 'ERR_JWK_INVALID', '/x5u')
    assertRefused({ ...ec, ext: 'true' }, 'ERR_JWK_INVALID', '/ext')
    assertAccepted({ ...ec, kid: '', x5u: 'https://example.com/c.pem', ext: true })
  })
})

describe('use and key_ops (RFC 7517 §4.2, §4.3)', () => {
  it('use is a string; other values are allowed', () => {
    assertRefused({ ...ec, use: ['sig'] }, 'ERR_JWK_INVALID', '/use')
    assertAccepted({ ...ec, use: 'tls' })
  })
  it('key_ops is an array of distinct strings, bounded', () => {
    assertRefused({ ...ec, key_ops: 'verify' }, 'ERR_JWK_INVALID', '/key_ops')
    assertRefused({ ...ec, key_ops: ['verify', 1] }, 'ERR_JWK_INVALID', '/key_ops/1')
    assertRefused({ ...ec, key_ops: ['verify', 'verify'] }, 'ERR_JWK_INVALID', '/key_ops/1')
    assertRefused({ ...ec, key_ops: Array.from({ length: 20 }, (_, i) => 'op' + i) }, 'ERR_INPUT_TOO_LARGE', '/key_ops')
    assertRefused({ ...ec, key_ops: ['verify', 'x'.repeat(300)] }, 'ERR_INPUT_TOO_LARGE', '/key_ops/1')
    assertAccepted({ ...ec, key_ops: ['verify', 'x-custom'] })
  })
  it('use and key_ops agree when both are present', () => {
    assertRefused({ ...ec, use: 'sig', key_ops: ['verify', 'encrypt'] }, 'ERR_JWK_INVALID', '/key_ops')
    assertRefused({ ...zoo.rsa!, use: 'enc', key_ops: ['sign'] }, 'ERR_JWK_INVALID', '/key_ops')
    assertAccepted({ ...ec, use: 'sig', key_ops: ['verify'] })
    assertAccepted({ ...zoo.rsa!, use: 'enc', key_ops: ['decrypt', 'unwrapKey'] })
  })
})

describe('alg (RFC 7517 §4.4; RFC 7518, 8037, 8812, 9864)', () => {
  it('is a string naming a known algorithm; none is never a key algorithm', () => {
    assertRefused({ ...ec, alg: 256 }, 'ERR_JWK_INVALID', '/alg')
    assertRefused({ ...ec, alg: 'ES224' }, 'ERR_JWK_UNSUPPORTED', '/alg')
    assertRefused({ ...ec, alg: 'none' }, 'ERR_JWK_UNSUPPORTED', '/alg')
    assertRefused({ ...ec, alg: 'es256' }, 'ERR_JWK_UNSUPPORTED', '/alg')
  })
  it('fits the key type and curve', () => {
    assertRefused({ ...ec, alg: 'ES384' }, 'ERR_JWK_INVALID', '/alg')
    assertRefused({ ...ec, alg: 'RS256' }, 'ERR_JWK_INVALID', '/alg')
    assertRefused({ ...ec, alg: 'HS256' }, 'ERR_JWK_INVALID', '/alg')
    assertRefused({ ...zoo.rsa!, alg: 'ES256' }, 'ERR_JWK_INVALID', '/alg')
    assertRefused({ ...zoo.x25519!, alg: 'EdDSA' }, 'ERR_JWK_INVALID', '/alg')
    assertRefused({ ...zoo.ed448!, alg: 'Ed25519' }, 'ERR_JWK_INVALID', '/alg')
    assertRefused({ ...zoo.k256!, alg: 'ES256' }, 'ERR_JWK_INVALID', '/alg')
    assertRefused({ ...zoo.k256!, alg: 'ECDH-ES' }, 'ERR_JWK_INVALID', '/alg')
    assertAccepted({ ...zoo.k256!, alg: 'ES256K' })
    assertAccepted({ ...zoo.ed448!, alg: 'EdDSA' })
    assertAccepted({ ...zoo.ed25519!, alg: 'Ed25519' })
    assertAccepted({ ...zoo.x25519!, alg: 'ECDH-ES+A256KW' })
    assertAccepted({ ...zoo.p521!, alg: 'ECDH-ES' })
    assertAccepted({ ...zoo.rsa!, alg: 'RSA-OAEP-256' })
    assertAccepted({ ...zoo.rsa!, alg: 'PS384' })
  })
  it('agrees with use and key_ops', () => {
    assertRefused({ ...zoo.rsa!, alg: 'RS256', use: 'enc' }, 'ERR_JWK_INVALID', '/use')
    assertRefused({ ...zoo.rsa!, alg: 'RSA-OAEP', use: 'sig' }, 'ERR_JWK_INVALID', '/use')
    assertRefused({ ...zoo.rsa!, alg: 'RS256', key_ops: ['decrypt'] }, 'ERR_JWK_INVALID', '/key_ops')
  })
})

describe('x5t, x5t#S256, x5c (RFC 7517 §4.7–4.9)', () => {
  const cert = certs.ec!
  const der = Buffer.from(cert.x5c[0]!, 'base64')
  const x5t = createHash('sha1').update(der).digest('base64url')
  const x5t256 = createHash('sha256').update(der).digest('base64url')
  const withCert = { ...cert.jwk, x5c: cert.x5c, x5t, 'x5t#S256': x5t256 }
  it('accepts a key whose certificate holds it, with matching digests', () => {
    assertAccepted(withCert)
    assertAccepted({ ...certs.ed25519!.jwk, x5c: certs.ed25519!.x5c })
    assertAccepted(rfcB)
  })
  it('x5t and x5t#S256 are base64url digests of the right length (strict)', () => {
    const strict = { strict: true }
    assertRefused({ ...ec, x5t: b64(randomBytes(32)) }, 'ERR_JWK_INVALID', '/x5t', strict)
    assertRefused({ ...ec, 'x5t#S256': b64(randomBytes(20)) }, 'ERR_JWK_INVALID', '/x5t#S256', strict)
    assertRefused({ ...ec, x5t: randomBytes(20).toString('base64') + '=' }, 'ERR_JWK_INVALID', '/x5t', strict)
    assertAccepted({ ...ec, x5t: b64(randomBytes(20)) }, [], strict) // without x5c nothing to compare with
  })
  it('default: a digest of the wrong length is a hint that does not hold: reported and dropped', () => {
    // Older Auth0 tenants publish the base64url of the uppercase hex SHA-1 (40 octets).
    const hex = b64(Buffer.from(randomBytes(20).toString('hex').toUpperCase()))
    const jwk = assertAccepted({ ...ec, x5t: hex }, ['ERR_JWK_NON_CANONICAL'])
    assert.equal(jwk.x5t, undefined)
    const dropped = assertAccepted({ ...ec, 'x5t#S256': b64(randomBytes(20)) }, ['ERR_JWK_NON_CANONICAL'])
    assert.equal(dropped['x5t#S256'], undefined)
    const digest = randomBytes(20)
    const padded = assertAccepted({ ...ec, x5t: digest.toString('base64') }, ['ERR_JWK_NON_CANONICAL'])
    assert.equal(padded.x5t, b64(digest))
    assertRefused({ ...ec, x5t: 'ab cd' }, 'ERR_JWK_INVALID', '/x5t') // no reading at all: refused in both modes
  })
  it('x5t and x5t#S256 equal the digests of x5c[0] (strict); by default a mismatch is dropped', () => {
    assertRefused({ ...withCert, x5t: b64(randomBytes(20)) }, 'ERR_JWK_INVALID', '/x5t', { strict: true })
    assertRefused({ ...withCert, 'x5t#S256': b64(randomBytes(32)) }, 'ERR_JWK_INVALID', '/x5t#S256', { strict: true })
    const kept = assertAccepted({ ...withCert, x5t: b64(randomBytes(20)), 'x5t#S256': b64(randomBytes(32)) }, ['ERR_JWK_NON_CANONICAL', 'ERR_JWK_NON_CANONICAL'])
    assert.equal(kept.x5t, undefined)
    assert.equal(kept['x5t#S256'], undefined)
    assert.deepEqual(kept.x5c, withCert.x5c, 'the chain itself is kept')
    // The hint never selects: the key checks as the one its members (and its certificate) say.
    assertRefused({ ...ec, x5c: cert.x5c, x5t: b64(randomBytes(20)) }, 'ERR_JWK_INVALID', '/x5c/0')
  })
  it('x5c is a non-empty, bounded array of standard base64 DER certificates', () => {
    assertRefused({ ...withCert, x5c: cert.x5c[0] }, 'ERR_JWK_INVALID', '/x5c')
    assertRefused({ ...withCert, x5c: [] }, 'ERR_JWK_INVALID', '/x5c', { strict: true })
    // .NET writes an empty x5c: it holds nothing, so by default it is dropped with a warning.
    assert.equal(assertAccepted({ ...withCert, x5c: [] }, ['ERR_JWK_NON_CANONICAL']).x5c, undefined)
    assertRefused({ ...withCert, x5c: Array(11).fill(cert.x5c[0]) }, 'ERR_INPUT_TOO_LARGE', '/x5c')
    assertRefused({ ...withCert, x5c: [cert.x5c[0], 'A'.repeat(70_000)] }, 'ERR_INPUT_TOO_LARGE', '/x5c/1')
    const std = cert.x5c[0]!
    assertRefused({ ...withCert, x5c: [std.slice(0, 4) + '-' + std.slice(5)] }, 'ERR_JWK_INVALID', '/x5c/0') // base64url alphabet
    assertRefused({ ...withCert, x5c: [std + '\n'] }, 'ERR_JWK_INVALID', '/x5c/0')
    assertRefused({ ...withCert, x5c: [std.slice(0, 64) + '\r\n' + std.slice(64)] }, 'ERR_JWK_INVALID', '/x5c/0')
    assertRefused({ ...withCert, x5c: [cert.x5c[0], 5] }, 'ERR_JWK_INVALID', '/x5c/1')
    assertRefused({ ...withCert, x5c: [randomBytes(40).toString('base64')] }, 'ERR_X509_INVALID', '/x5c/0')
    assertRefused({ ...withCert, x5c: [Buffer.concat([Buffer.from([0x30]), randomBytes(40)]).toString('base64')] }, 'ERR_X509_INVALID', '/x5c/0')
  })
  it('the first certificate holds the key of the JWK', () => {
    assertRefused({ ...ec, x5c: cert.x5c }, 'ERR_JWK_INVALID', '/x5c/0')
    assertRefused({ ...without(zoo.rsa!, 'd', 'p', 'q', 'dp', 'dq', 'qi'), x5c: rfcB.x5c }, 'ERR_JWK_INVALID', '/x5c/0')
    assertRefused({ ...zoo.oct!, x5c: cert.x5c }, 'ERR_JWK_INVALID', '/x5c')
    assertRefused({ ...zoo.akp!, x5c: cert.x5c }, 'ERR_JWK_UNSUPPORTED', '/x5c')
  })
})
