import assert from 'node:assert/strict'
import { X509Certificate, createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fromPem } from '../../src/formats/from-pem.ts'
import { describeX509, fromX509 } from '../../src/formats/x509.ts'
import { decodePem } from '../../src/formats/pem.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { assertCode, keyMembers } from './helpers.ts'

const fixture = (name: string) => readFileSync(new URL(`./fixtures/x509/${name}`, import.meta.url), 'utf8')
const root = fixture('root.pem')
const intermediate = fixture('intermediate.pem')
const leaf = fixture('leaf.pem')
const otherRoot = fixture('other-root.pem')
const chain = fixture('chain.pem')
const leafCert = new X509Certificate(leaf)
/** A moment inside every fixture's validity (the leaf's notBefore plus a day). */
const during = new Date(Date.parse(leafCert.validFrom) + 86_400_000)

test('RFC 7517 Appendix B: the x5c certificate holds the JWK key (vector rfc7517-B)', () => {
  const cases = JSON.parse(readFileSync(new URL('../vectors/rfc-examples.json', import.meta.url), 'utf8')) as Array<{ id: string; input: { jwk: { n: string; e: string; x5c: string[] } } }>
  const vector = cases.find((c) => c.id === 'rfc7517-B')!
  const jwk = fromX509(vector.input.jwk.x5c[0]!)
  assert.equal(jwk.kty, 'RSA')
  assert.deepEqual(keyMembers(jwk), { kty: 'RSA', n: vector.input.jwk.n, e: vector.input.jwk.e })
  assert.deepEqual(jwk.x5c, vector.input.jwk.x5c)
  const der = Buffer.from(vector.input.jwk.x5c[0]!, 'base64')
  assert.equal(jwk['x5t#S256'], createHash('sha256').update(der).digest('base64url'))
  // Self-signed, SHA-1, expired 2018: as its own anchor it verifies only at a date inside its validity.
  assert.ok(fromX509(vector.input.jwk.x5c, { trustAnchors: vector.input.jwk.x5c, currentDate: new Date('2015-01-01') }))
  assertCode(() => fromX509(vector.input.jwk.x5c, { trustAnchors: vector.input.jwk.x5c }), 'ERR_X509_CHAIN_INVALID')
  assert.equal(describeX509(der).subject.includes('CN=Brian Campbell'), true)
})

test('RFC 5280 §6.1: leaf + intermediate verify against the root as trust anchor', () => {
  const jwk = fromX509(chain, { trustAnchors: root, currentDate: during })
  assert.deepEqual(keyMembers(jwk), keyMembers(toPublicJwk(fromPem(fixture('leaf-key.pem')))))
  assert.equal((jwk as { crv?: string }).crv, 'Ed25519')
  assert.equal(jwk.x5c?.length, 2)
  assert.equal(jwk.x5c?.[1], Buffer.from(decodePem(intermediate)[0]!.der).toString('base64'))
  // The anchor itself may end the chain.
  assert.ok(fromX509([leaf, intermediate, root], { trustAnchors: [otherRoot, root], currentDate: during }))
  // Array of separate PEM / DER / base64 inputs.
  assert.ok(fromX509([decodePem(leaf)[0]!.der, intermediate], { trustAnchors: root, currentDate: during }))
})

test('refused with ERR_X509_CHAIN_INVALID: wrong anchor, expired, not yet valid, broken order, missing link', () => {
  const afterAll = new Date(Date.parse(leafCert.validTo) + 86_400_000)
  assertCode(() => fromX509(chain, { trustAnchors: otherRoot, currentDate: during }), 'ERR_X509_CHAIN_INVALID', 'wrong anchor')
  assertCode(() => fromX509(chain, { trustAnchors: root, currentDate: afterAll }), 'ERR_X509_CHAIN_INVALID', 'expired')
  assertCode(() => fromX509(chain, { trustAnchors: root, currentDate: new Date('2000-01-01') }), 'ERR_X509_CHAIN_INVALID', 'not yet valid')
  assertCode(() => fromX509([intermediate, leaf], { trustAnchors: root, currentDate: during }), 'ERR_X509_CHAIN_INVALID', 'order')
  assertCode(() => fromX509(leaf, { trustAnchors: root, currentDate: during }), 'ERR_X509_CHAIN_INVALID', 'missing intermediate')
  // A leaf (CA:FALSE) cannot issue: leaf as anchor of a chain it did not sign.
  assertCode(() => fromX509(intermediate, { trustAnchors: leaf, currentDate: during }), 'ERR_X509_CHAIN_INVALID', 'non-CA issuer')
  // Without anchors nothing is verified unless asked; verifyChain checks the links alone.
  assert.ok(fromX509([intermediate, leaf]))
  assertCode(() => fromX509([intermediate, leaf], { verifyChain: true, currentDate: during }), 'ERR_X509_CHAIN_INVALID')
})

test('key + certificate chain in one PEM: the key with x5c; a key that is not the leaf\'s is refused', () => {
  const jwk = fromPem(fixture('leaf-key.pem') + chain)
  assert.equal(jwk.x5c?.length, 2)
  assert.ok((jwk as { d?: string }).d)
  assertCode(() => fromPem(fixture('leaf-key.pem') + intermediate), 'ERR_JWK_INVALID')
})

test('describeX509 gives subject, issuer, dates, serial and fingerprint', () => {
  const d = describeX509(leaf)
  assert.equal(d.subject, 'CN=leaf.jwkit.test')
  assert.equal(d.issuer, 'CN=jwkit test intermediate')
  assert.equal(d.notBefore, new Date(leafCert.validFrom).toISOString())
  assert.equal(d.notAfter, new Date(leafCert.validTo).toISOString())
  assert.equal(d.serialNumber, leafCert.serialNumber)
  assert.equal(d.fingerprint256, leafCert.fingerprint256)
})

test('refused with ERR_X509_INVALID: a key where a certificate belongs, garbage, truncated certificates', () => {
  const der = decodePem(leaf)[0]!.der
  assertCode(() => fromX509(fixture('leaf-key.pem')), 'ERR_X509_INVALID')
  assertCode(() => fromX509('not base64!'), 'ERR_X509_INVALID')
  assertCode(() => fromX509(der.subarray(0, der.length - 1)), 'ERR_X509_INVALID')
  assertCode(() => fromX509(Buffer.concat([der, Buffer.of(0)])), 'ERR_X509_INVALID')
  assertCode(() => fromX509([]), 'ERR_X509_INVALID')
  assertCode(() => fromX509(Array(11).fill(leaf)), 'ERR_INPUT_TOO_LARGE')
})

test('RFC 5280 §4.1.2.7: a certificate whose public key is damaged is refused with ERR_X509_INVALID', () => {
  // intermediate.pem holds an EC key; flip a byte of its point so the certificate still parses
  // (node:crypto reads the key lazily) but the key is off the curve.
  const der = Buffer.from(new X509Certificate(intermediate).raw)
  const spki = new X509Certificate(intermediate).publicKey.export({ format: 'der', type: 'spki' })
  const at = der.indexOf(spki)
  assert.ok(at > 0)
  const damaged = Buffer.from(der)
  damaged[at + spki.length - 5]! ^= 0x01
  assertCode(() => fromX509(damaged), 'ERR_X509_INVALID')
})

test('fromX509 gives what parseJwk gives for node:crypto\'s reading of each certificate (Ed25519, P-256, P-384 leaves; RSA vector)', async () => {
  const { parseJwk } = await import('../../src/jwk/parse.ts')
  const cases = JSON.parse(readFileSync(new URL('../vectors/rfc-examples.json', import.meta.url), 'utf8')) as Array<{ id: string; input: { jwk: { x5c: string[] } } }>
  const rsa = new X509Certificate(Buffer.from(cases.find((c) => c.id === 'rfc7517-B')!.input.jwk.x5c[0]!, 'base64'))
  for (const cert of [leafCert, new X509Certificate(root), new X509Certificate(intermediate), new X509Certificate(otherRoot), rsa]) {
    const expected = parseJwk({
      ...(cert.publicKey.export({ format: 'jwk' }) as object),
      x5c: [cert.raw.toString('base64')],
      'x5t#S256': createHash('sha256').update(cert.raw).digest('base64url'),
    })
    assert.deepEqual(fromX509(cert.raw), expected, cert.subject)
  }
})
