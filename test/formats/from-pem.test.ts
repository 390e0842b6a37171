import assert from 'node:assert/strict'
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { test } from 'node:test'
import fc from 'fast-check'
import { parseDer, children } from '../../src/formats/der.ts'
import { derInteger, derNull, derOctetString, derOid, derSequence, encodeDer } from '../../src/util/der-writer.ts'
import { encryptPkcs8 } from '../../src/formats/encrypted-pkcs8.ts'
import { fromPem } from '../../src/formats/from-pem.ts'
import { jwkFromKeyDer } from '../../src/formats/key-import.ts'
import { encodePem } from '../../src/formats/pem.ts'
import { toDer, toPem, type PemFormat } from '../../src/formats/to-pem.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { assertCode, keyMembers, keyPool, poolKey } from './helpers.ts'

test('every key type: PKCS#8 and SPKI from node:crypto read back as node exports them', () => {
  for (const { name, privateKey, jwk } of keyPool()) {
    const pkcs8 = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string
    const spki = createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }) as string
    assert.deepEqual(keyMembers(fromPem(pkcs8)), keyMembers(jwk), name)
    assert.deepEqual(keyMembers(fromPem(spki)), keyMembers(toPublicJwk(jwk)), name)
  }
})

test('PKCS#1 (RSA PRIVATE KEY, RSA PUBLIC KEY) and SEC1 (EC PRIVATE KEY) both ways', () => {
  const rsa = poolKey('RSA')
  const priv = toPem(rsa.jwk, { format: 'pkcs1' })
  assert.match(priv, /^-----BEGIN RSA PRIVATE KEY-----\n/)
  assert.deepEqual(fromPem(priv), rsa.jwk)
  const pub = toPem(toPublicJwk(rsa.jwk), { format: 'pkcs1' })
  assert.match(pub, /^-----BEGIN RSA PUBLIC KEY-----\n/)
  assert.deepEqual(fromPem(pub), toPublicJwk(rsa.jwk))
  for (const crv of ['P-256', 'P-384', 'P-521', 'secp256k1']) {
    const { jwk, privateKey } = poolKey(crv)
    const sec1 = toPem(jwk, { format: 'sec1' })
    assert.equal(sec1, privateKey.export({ format: 'pem', type: 'sec1' }))
    assert.deepEqual(fromPem(sec1), jwk)
  }
})

test('property: JWK → PEM → JWK is the identity for every key type and structure', () => {
  const cases = keyPool().flatMap(({ jwk }) => {
    const formats: PemFormat[] = ['spki', 'pkcs8', ...(jwk.kty === 'RSA' ? ['pkcs1' as const] : []), ...(jwk.kty === 'EC' ? ['sec1' as const] : [])]
    return formats.map((format) => ({ jwk, format }))
  })
  fc.assert(fc.property(fc.constantFrom(...cases), fc.boolean(), ({ jwk, format }, asPublic) => {
    const input = asPublic && format !== 'sec1' && format !== 'pkcs8' ? toPublicJwk(jwk) : jwk
    const expected = format === 'spki' ? toPublicJwk(jwk) : input
    assert.deepEqual(fromPem(toPem(input, { format })), keyMembers(expected))
  }), { numRuns: 60 })
})

test('RFC 5958 §3: encrypted PKCS#8 round trip; wrong or missing passphrase refused', () => {
  const { jwk } = poolKey('Ed25519')
  const pem = toPem(jwk, { passphrase: 'correct horse', iterations: 1000 })
  assert.match(pem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/)
  assert.deepEqual(fromPem(pem, { passphrase: 'correct horse' }), jwk)
  assert.deepEqual(fromPem(pem, { passphrase: Buffer.from('correct horse') }), jwk)
  assertCode(() => fromPem(pem), 'ERR_PASSPHRASE_REQUIRED')
  assertCode(() => fromPem(pem, { passphrase: 'wrong horse' }), 'ERR_PASSPHRASE_WRONG')
  // node:crypto opens jwkit's output with the same passphrase.
  const nodeJwk = createPrivateKey({ key: pem, passphrase: 'correct horse' }).export({ format: 'jwk' })
  assert.equal(nodeJwk.d, (jwk as { d?: string }).d)
})

test('encrypted PKCS#8 written by node:crypto (PBES2, AES-128/256-CBC) is read', () => {
  const { privateKey, jwk } = poolKey('P-384')
  for (const cipher of ['aes-128-cbc', 'aes-192-cbc', 'aes-256-cbc']) {
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8', cipher, passphrase: 'pw' }) as string
    assert.deepEqual(fromPem(pem, { passphrase: 'pw' }), jwk, cipher)
  }
})

/** Rebuilds an EncryptedPrivateKeyInfo with another iteration count. */
function withIterations(der: Uint8Array, iterations: number): Uint8Array {
  const [alg, data] = children(parseDer(der))
  const [pbes2Oid, params] = children(alg!)
  const [kdf, enc] = children(params!)
  const [kdfOid, kdfParams] = children(kdf!)
  const [salt, , ...rest] = children(kdfParams!)
  const newKdf = derSequence(kdfOid!.raw, derSequence(salt!.raw, derInteger(iterations), ...rest.map((r) => r.raw)))
  return derSequence(derSequence(pbes2Oid!.raw, derSequence(newKdf, enc!.raw)), data!.raw)
}

test('refused before any work: PBKDF2 iteration count above MAX_PBKDF2_ITERATIONS (2,000,000)', () => {
  const { jwk } = poolKey('Ed25519')
  const { der } = toDer(jwk, { passphrase: 'pw', iterations: 1000 })
  const huge = encodePem('ENCRYPTED PRIVATE KEY', withIterations(der, 2_000_001))
  const started = Date.now()
  assertCode(() => fromPem(huge, { passphrase: 'pw' }), 'ERR_INPUT_TOO_LARGE')
  assert.ok(Date.now() - started < 1000)
  assertCode(() => fromPem(encodePem('ENCRYPTED PRIVATE KEY', withIterations(der, 0)), { passphrase: 'pw' }), 'ERR_DER_INVALID')
})

test('refused: decrypted bytes that are not a key, unsupported encryption schemes', () => {
  const junk = encryptPkcs8(Buffer.from('not DER at all!!'), 'pw', { iterations: 10 })
  assertCode(() => fromPem(encodePem('ENCRYPTED PRIVATE KEY', junk), { passphrase: 'pw' }), 'ERR_PASSPHRASE_WRONG')
  // PBES1 (pbeWithSHA1AndDES-CBC, RFC 8018 §6.1) is refused as unsupported.
  const pbes1 = derSequence(derSequence(derOid('1.2.840.113549.1.5.10'), derSequence(derOctetString(Buffer.alloc(8)), derInteger(2048))), derOctetString(Buffer.alloc(32)))
  assertCode(() => jwkFromKeyDer(pbes1, undefined, { passphrase: 'pw' }), 'ERR_JWK_UNSUPPORTED')
})

test('refused: truncated and trailing-garbage DER inside a PEM', () => {
  const { der } = toDer(poolKey('P-256').jwk, { format: 'pkcs8' })
  assertCode(() => fromPem(encodePem('PRIVATE KEY', der.subarray(0, der.length - 3))), 'ERR_DER_INVALID')
  assertCode(() => fromPem(encodePem('PRIVATE KEY', Buffer.concat([der, Buffer.of(0, 0)]))), 'ERR_DER_INVALID')
  assertCode(() => jwkFromKeyDer(Buffer.concat([der, Buffer.of(0x05, 0x00)])), 'ERR_DER_INVALID')
})

const spkiOf = (oid: string, params: Uint8Array | undefined, key: Uint8Array) =>
  derSequence(derSequence(derOid(oid), ...(params ? [params] : [])), encodeDer(0x03, Buffer.concat([Buffer.of(0), key])))

test('refused: unsupported curve OIDs and algorithms (brainpoolP256r1, explicit curves, DSA, RSA-PSS, ML-DSA)', () => {
  const point = Buffer.concat([Buffer.of(4), Buffer.alloc(64, 1)])
  assertCode(() => jwkFromKeyDer(spkiOf('1.2.840.10045.2.1', derOid('1.3.36.3.3.2.8.1.1.7'), point)), 'ERR_JWK_UNSUPPORTED')
  assertCode(() => jwkFromKeyDer(spkiOf('1.2.840.10045.2.1', derSequence(derInteger(1)), point)), 'ERR_JWK_UNSUPPORTED')
  for (const oid of ['1.2.840.10040.4.1', '1.2.840.113549.1.1.10', '2.16.840.1.101.3.4.3.18']) {
    assertCode(() => jwkFromKeyDer(spkiOf(oid, undefined, Buffer.alloc(32))), 'ERR_JWK_UNSUPPORTED', oid)
  }
})

test('refused: wrong key lengths and parameters (RFC 8410 §3, RFC 3279 §2.3.1)', () => {
  assertCode(() => jwkFromKeyDer(spkiOf('1.3.101.112', undefined, Buffer.alloc(31))), 'ERR_DER_INVALID')
  assertCode(() => jwkFromKeyDer(spkiOf('1.3.101.112', derNull(), Buffer.alloc(32))), 'ERR_DER_INVALID')
  assertCode(() => jwkFromKeyDer(spkiOf('1.2.840.10045.2.1', derOid('1.2.840.10045.3.1.7'), Buffer.alloc(65, 4))), 'ERR_KEY_IMPORT_FAILED')
  const rsaPub = derSequence(derInteger(Buffer.alloc(256, 0xc1)), derInteger(65537))
  assertCode(() => jwkFromKeyDer(spkiOf('1.2.840.113549.1.1.1', undefined, rsaPub)), 'ERR_DER_INVALID')
})

test('refused: a private key whose public half does not match (SEC1 publicKey, RSA n ≠ p·q)', () => {
  const sec1 = children(parseDer(toDer(poolKey('P-256').jwk, { format: 'sec1' }).der))
  const point = Buffer.from(readPublicPoint(toDer(poolKey('P-256').jwk, { format: 'spki' }).der))
  // Another valid P-256 point: the public key of a fresh key.
  const other = Buffer.from(readPublicPoint(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' })))
  assert.notDeepEqual(point, other)
  const forged = derSequence(sec1[0]!.raw, sec1[1]!.raw, sec1[2]!.raw, encodeDer(0xa1, encodeDer(0x03, Buffer.concat([Buffer.of(0), other]))))
  assertCode(() => jwkFromKeyDer(forged), 'ERR_DER_INVALID')
  const pkcs1 = children(parseDer(toDer(poolKey('RSA').jwk, { format: 'pkcs1' }).der))
  const q = Buffer.from(pkcs1[5]!.content)
  q[q.length - 1]! ^= 2
  const bad = derSequence(...pkcs1.slice(0, 5).map((i) => i.raw), encodeDer(0x02, q), ...pkcs1.slice(6).map((i) => i.raw))
  assert.throws(() => jwkFromKeyDer(bad), (e: { code?: string }) => e.code === 'ERR_DER_INVALID' || e.code === 'ERR_KEY_IMPORT_FAILED')
})

function readPublicPoint(spki: Uint8Array): Uint8Array {
  return children(parseDer(spki))[1]!.content.subarray(1)
}

test('toPem refusals: oct keys, pkcs8 of a public key, sec1 of RSA, pkcs1 of EC', () => {
  assertCode(() => toPem({ kty: 'oct', k: 'AAAAAAAAAAAAAAAAAAAAAA' }), 'ERR_JWK_UNSUPPORTED')
  assertCode(() => toPem(toPublicJwk(poolKey('P-256').jwk), { format: 'pkcs8' }), 'ERR_JWK_UNSUPPORTED')
  assertCode(() => toPem(poolKey('RSA').jwk, { format: 'sec1' }), 'ERR_JWK_UNSUPPORTED')
  assertCode(() => toPem(poolKey('P-256').jwk, { format: 'pkcs1' }), 'ERR_JWK_UNSUPPORTED')
  assert.throws(() => toPem(poolKey('P-256').jwk, { format: 'sec1', passphrase: 'x' }), TypeError)
})
