/**
 * Differential tests: jwkit against independent implementations for many generated keys.
 * Thumbprints against jose.calculateJwkThumbprint (RFC 7638) and jose.calculateJwkThumbprintUri
 * (RFC 9278); public projections against node:crypto's own public-key export; acceptance
 * against node:crypto's JWK import.
 */
import assert from 'node:assert/strict'
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { calculateJwkThumbprint, calculateJwkThumbprintUri } from 'jose'
import { checkJwk } from '../../src/jwk/parse.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { thumbprint, thumbprintUri } from '../../src/jwk/thumbprint.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { akpJwk, nodeJwk, type Json } from './helpers.ts'

const keys: Json[] = []
for (let i = 0; i < 8; i++) {
  keys.push(nodeJwk('ec', { namedCurve: 'P-256' }), nodeJwk('ec', { namedCurve: 'P-384' }), nodeJwk('ec', { namedCurve: 'P-521' }), nodeJwk('ec', { namedCurve: 'secp256k1' }))
  keys.push(nodeJwk('ed25519'), nodeJwk('ed448'), nodeJwk('x25519'), nodeJwk('x448'))
  keys.push({ kty: 'oct', k: randomBytes(16 + i * 8).toString('base64url') })
}
for (let i = 0; i < 3; i++) keys.push(nodeJwk('rsa', { modulusLength: 2048 }))
keys.push(nodeJwk('rsa', { modulusLength: 3072 }), nodeJwk('rsa', { modulusLength: 2048, publicExponent: 3 }))
keys.push(akpJwk('ML-DSA-44'), akpJwk('ML-DSA-65'), akpJwk('ML-DSA-87'))

describe('differential: thumbprints against jose', () => {
  it(`agrees on ${keys.length} keys for SHA-256/384/512 and the RFC 9278 URI`, async () => {
    for (const key of keys) {
      for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
        assert.equal(thumbprint(key as Jwk, hash), await calculateJwkThumbprint(key as never, hash), `${String(key.kty)} ${hash}`)
      }
      assert.equal(thumbprintUri(key as Jwk), await calculateJwkThumbprintUri(key as never))
    }
  })
})

describe('differential: node:crypto', () => {
  it('every generated key node:crypto accepts, jwkit accepts (no warnings)', () => {
    for (const key of keys) {
      const r = checkJwk(key)
      assert.deepEqual(r.problems, [], `${String(key.kty)} ${String(key.crv ?? '')}`)
    }
  })
  it('toPublicJwk gives exactly node:crypto\'s public export', () => {
    for (const key of keys) {
      if (key.kty === 'oct' || key.kty === 'AKP') continue
      const expected = createPublicKey(createPrivateKey({ key: key as never, format: 'jwk' })).export({ format: 'jwk' })
      const ours = toPublicJwk(key as Jwk)
      assert.deepEqual(Object.fromEntries(Object.entries(ours).sort()), Object.fromEntries(Object.entries(expected).sort()))
      // and node:crypto imports it as the same key
      assert.deepEqual(createPublicKey({ key: ours as never, format: 'jwk' }).export({ format: 'jwk' }), expected)
    }
  })
})
