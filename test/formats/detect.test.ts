import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import fc from 'fast-check'
import { toCose } from '../../src/formats/cose.ts'
import { readKey } from '../../src/formats/detect.ts'
import { decodePem } from '../../src/formats/pem.ts'
import { toSsh } from '../../src/formats/ssh.ts'
import { toDer, toPem } from '../../src/formats/to-pem.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { assertCode, poolKey } from './helpers.ts'

test('readKey detects JWK, JWK Set, PEM, DER, OpenSSH, COSE (bytes, hex, base64, base64url)', () => {
  const { jwk } = poolKey('P-256')
  const pub = toPublicJwk(jwk)
  assert.deepEqual(readKey(JSON.stringify(jwk)), { jwk, format: 'jwk' })
  assert.deepEqual(readKey(Buffer.from(JSON.stringify({ keys: [pub] }))), { jwks: { keys: [pub] }, format: 'jwks' })
  assert.deepEqual(readKey(toPem(jwk)), { jwk, format: 'pem' })
  assert.deepEqual(readKey('\n  ' + toPem(pub) + '\n'), { jwk: pub, format: 'pem' })
  assert.deepEqual(readKey(toDer(jwk, { format: 'sec1' }).der), { jwk, format: 'der' })
  assert.deepEqual(readKey(toDer(jwk, { format: 'spki' }).der), { jwk: pub, format: 'der' })
  assert.deepEqual(readKey(toSsh(jwk, 'me@host') + '\n'), { jwk: pub, format: 'ssh', comment: 'me@host' })
  const cose = toCose(jwk)
  for (const input of [cose, Buffer.from(cose).toString('hex'), Buffer.from(cose).toString('base64'), Buffer.from(cose).toString('base64url')]) {
    assert.deepEqual(readKey(input), { jwk, format: 'cose' })
  }
  const cert = readFileSync(new URL('./fixtures/x509/leaf.pem', import.meta.url), 'utf8')
  assert.equal(readKey(cert).jwk?.x5c?.length, 1)
  assert.equal(readKey(decodePem(cert)[0]!.der).format, 'der')
})

test('readKey opens encrypted PKCS#8 with a passphrase, as PEM and as DER', () => {
  const { jwk } = poolKey('Ed448')
  const pem = toPem(jwk, { passphrase: 'pw', iterations: 100 })
  assert.deepEqual(readKey(pem, { passphrase: 'pw' }).jwk, jwk)
  assertCode(() => readKey(pem), 'ERR_PASSPHRASE_REQUIRED')
  const der = decodePem(pem)[0]!.der
  assertCode(() => readKey(der, { passphrase: 'nope' }), 'ERR_PASSPHRASE_WRONG')
})

test('refused: unrecognised input', () => {
  assertCode(() => readKey(''), 'ERR_FORMAT_UNRECOGNIZED')
  assertCode(() => readKey('hello world'), 'ERR_FORMAT_UNRECOGNIZED')
  assertCode(() => readKey(Uint8Array.of(0xff, 0xfe, 0x00)), 'ERR_FORMAT_UNRECOGNIZED')
  assertCode(() => readKey('{"kty":"EC"'), 'ERR_JSON_INVALID')
  assertCode(() => readKey(Uint8Array.of(0x30, 0x03, 0x02)), 'ERR_DER_INVALID')
})

test('property: mutated or truncated keys (DER, PEM, COSE, OpenSSH) give a key or a JwkitError, never another error', () => {
  const cert = readFileSync(new URL('./fixtures/x509/leaf.pem', import.meta.url), 'utf8')
  const { jwk } = poolKey('P-384')
  const seeds: Uint8Array[] = [
    toDer(jwk, { format: 'pkcs8' }).der, toDer(jwk, { format: 'sec1' }).der, toDer(poolKey('RSA').jwk, { format: 'spki' }).der,
    toDer(poolKey('X448').jwk, { format: 'pkcs8' }).der, decodePem(cert)[0]!.der, toCose(poolKey('Ed25519').jwk), toCose(poolKey('RSA').jwk),
    Buffer.from(toSsh(poolKey('P-256').jwk, 'c')), toDer(jwk, { passphrase: 'pw', iterations: 1 }).der,
  ]
  fc.assert(fc.property(
    fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 3 }), fc.option(fc.nat(), { nil: undefined }),
    (seed, flips, cut) => {
      const bytes = Buffer.from(seed)
      for (const [at, mask] of flips) bytes[at % bytes.length]! ^= mask
      const input = cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1))
      try {
        readKey(input, { passphrase: 'pw' })
      } catch (error) {
        assert.equal((error as { name?: string }).name, 'JwkitError', String((error as Error)?.stack))
      }
    }), { numRuns: 1500 })
})
