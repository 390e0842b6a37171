/**
 * Differential tests of the JWK bridge against node:crypto: for many generated keys of every
 * type, export, import, public projection and thumbprints agree with what node:crypto (and an
 * independent RFC 7638 computation written here) give; where node:crypto is lax, jwkit refuses.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, createPublicKey, generateKeyPairSync, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto'
import { exportJwk } from '../../src/crypto/export.ts'
import { generateJwk } from '../../src/crypto/generate.ts'
import { importJwk } from '../../src/crypto/import.ts'
import { isJwkitError } from '../../src/errors.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { thumbprint, thumbprintUri } from '../../src/jwk/thumbprint.ts'
import type { Jwk } from '../../src/jwk/types.ts'

type Pair = { publicKey: KeyObject; privateKey: KeyObject }
const gen = generateKeyPairSync as unknown as (type: string, options?: object) => Pair
const PER_TYPE = 10
const TYPES: Array<[string, () => Pair, number]> = [
  ['RSA', () => gen('rsa', { modulusLength: 2048 }), 2],
  ['P-256', () => gen('ec', { namedCurve: 'P-256' }), PER_TYPE],
  ['P-384', () => gen('ec', { namedCurve: 'P-384' }), PER_TYPE],
  ['P-521', () => gen('ec', { namedCurve: 'P-521' }), PER_TYPE],
  ['secp256k1', () => gen('ec', { namedCurve: 'secp256k1' }), PER_TYPE],
  ['Ed25519', () => gen('ed25519'), PER_TYPE],
  ['Ed448', () => gen('ed448'), PER_TYPE],
  ['X25519', () => gen('x25519'), PER_TYPE],
  ['X448', () => gen('x448'), PER_TYPE],
]

/** RFC 7638 §3.2 required members, written out here independently of src/jwk/members.ts. */
const REQUIRED: Record<string, string[]> = { RSA: ['e', 'kty', 'n'], EC: ['crv', 'kty', 'x', 'y'], OKP: ['crv', 'kty', 'x'], oct: ['k', 'kty'] }
function referenceThumbprint(jwk: JsonWebKey, hash: string): string {
  const members = REQUIRED[jwk.kty as string]!
  const json = '{' + members.map((m) => `${JSON.stringify(m)}:${JSON.stringify((jwk as Record<string, unknown>)[m])}`).join(',') + '}'
  return createHash(hash).update(json).digest('base64url')
}
const sameMembers = (a: object, b: object) => assert.deepEqual({ ...a }, { ...b })
const signable = (name: string) => name === 'RSA' || name.startsWith('P-') || name === 'secp256k1' || name.startsWith('Ed')

for (const [name, make, count] of TYPES) {
  test(`node:crypto differential, ${name} × ${count}: export, import, public form and RFC 7638 thumbprints agree`, () => {
    for (let i = 0; i < count; i++) {
      const pair = make()
      const nodePriv = pair.privateKey.export({ format: 'jwk' })
      const nodePub = pair.publicKey.export({ format: 'jwk' })
      const priv = exportJwk(pair.privateKey)
      const pub = exportJwk(pair.publicKey)
      sameMembers(priv, nodePriv)
      sameMembers(pub, nodePub)
      assert.ok(importJwk(priv).equals(pair.privateKey))
      assert.ok(importJwk(pub).equals(pair.publicKey))
      assert.ok(importJwk(priv, { asPublic: true }).equals(pair.publicKey))
      // The public projection is what node:crypto derives from the private key.
      sameMembers(toPublicJwk(priv), createPublicKey(pair.privateKey).export({ format: 'jwk' }))
      for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
        const expected = referenceThumbprint(nodePub, hash)
        assert.equal(thumbprint(priv, hash), expected)
        assert.equal(thumbprint(pub, hash), expected)
      }
      assert.equal(thumbprintUri(pub), `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${referenceThumbprint(nodePub, 'sha256')}`)
      if (signable(name)) {
        const alg = name.startsWith('Ed') ? null : 'sha256'
        const sig = sign(alg, Buffer.from('m'), importJwk(priv))
        assert.ok(verify(alg, Buffer.from('m'), pair.publicKey, sig))
      }
    }
  })
}

test('node:crypto differential: generateJwk keys are what node:crypto sees when it imports them', async () => {
  for (const spec of ['ES256', 'ES384', 'ES512', 'ES256K', 'EdDSA', 'Ed448', { kty: 'OKP', crv: 'X25519' }, { kty: 'OKP', crv: 'X448' }, 'RS256'] as const) {
    const jwk = await generateJwk(spec as never)
    const nodePriv = importJwk(jwk)
    const fromNode = exportJwk(createPublicKey(nodePriv))
    const ours = toPublicJwk(jwk) as unknown as Record<string, unknown>
    for (const m of Object.keys(fromNode)) assert.equal(ours[m], (fromNode as unknown as Record<string, unknown>)[m], `${JSON.stringify(spec)} ${m}`)
    assert.equal(thumbprint(jwk), referenceThumbprint(fromNode as unknown as JsonWebKey, 'sha256'))
  }
})

test('strictness differential: node:crypto imports these JWKs, jwkit refuses each with a code', () => {
  const ec = gen('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as Record<string, string>
  const ed = gen('ed25519').privateKey.export({ format: 'jwk' }) as Record<string, string>
  const rsa = gen('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }) as Record<string, string>
  const otherEd = gen('ed25519').publicKey.export({ format: 'jwk' }) as Record<string, string>
  const toStd = (s: string) => Buffer.from(s, 'base64url').toString('base64')
  const lax: Array<[string, Record<string, unknown>, (j: Record<string, unknown>) => KeyObject]> = [
    ['padded x', { ...ec, x: ec.x + '=' }, (j) => createPublicKey({ key: j as JsonWebKey, format: 'jwk' })],
    ['standard-alphabet padded y', { ...ec, d: undefined, y: toStd(ec.y!) }, (j) => createPublicKey({ key: j as JsonWebKey, format: 'jwk' })],
    ['leading zero octet in n', { ...rsa, n: Buffer.concat([Buffer.alloc(1), Buffer.from(rsa.n!, 'base64url')]).toString('base64url') }, (j) => createPublicKey({ key: j as JsonWebKey, format: 'jwk' })],
    ['use/key_ops contradiction', { ...ec, use: 'sig', key_ops: ['encrypt'] }, (j) => createPublicKey({ key: j as JsonWebKey, format: 'jwk' })],
    ['alg for another curve', { ...ec, alg: 'ES512' }, (j) => createPublicKey({ key: j as JsonWebKey, format: 'jwk' })],
    ['OKP d that does not match x', { ...ed, x: otherEd.x }, (j) => createPublicKey({ key: j as JsonWebKey, format: 'jwk' })],
    ['key_ops not an array of distinct strings', { ...ec, key_ops: ['sign', 'sign'] }, (j) => createPublicKey({ key: j as JsonWebKey, format: 'jwk' })],
  ]
  // Issue 10: the first three have one reading: refused under strict, normalised by default
  // into the very key node:crypto reads.
  const oneReading = new Set(['padded x', 'standard-alphabet padded y', 'leading zero octet in n'])
  for (const [what, jwk, nodeImport] of lax) {
    const clean = Object.fromEntries(Object.entries(jwk).filter(([, v]) => v !== undefined))
    assert.doesNotThrow(() => nodeImport(clean), `node:crypto accepts: ${what}`)
    const strict = oneReading.has(what)
    assert.throws(() => importJwk(clean as unknown as Jwk, strict ? { strict: true } : {}), (e) => isJwkitError(e) && (e.code === 'ERR_JWK_INVALID' || e.code === 'ERR_ALG_NOT_ALLOWED'), `jwkit refuses: ${what}`)
    if (strict) {
      const imported = importJwk(clean as unknown as Jwk)
      const pub = imported.type === 'private' ? createPublicKey(imported) : imported
      assert.ok(pub.equals(nodeImport(clean)), `default mode: ${what} is the key node:crypto reads`)
    }
  }
})
