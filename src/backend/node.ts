/**
 * @module backend/node
 * The crypto seam over node:crypto (see backend/types.ts): `KeyObject`s, one-shot synchronous
 * `sign`/`verify`, OpenSSL digests. This is the Node fast path: every call here is the very
 * node:crypto call the layers above made before the seam existed.
 */
import {
  KeyObject, X509Certificate, pbkdf2 as nodePbkdf2, pbkdf2Sync, constants, createCipheriv, createDecipheriv, createECDH, diffieHellman, generateKeyPairSync as nodeGenerateKeyPairSync, privateDecrypt, publicEncrypt, createHash, createHmac, createPrivateKey, createPublicKey, createSecretKey,
  generateKeyPair as generateKeyPairCallback, randomBytes as nodeRandomBytes, sign as nodeSign, timingSafeEqual as nodeTimingSafeEqual,
  verify as nodeVerify, type JsonWebKey, type webcrypto,
} from 'node:crypto'
import * as nodeCrypto from 'node:crypto'
import { createRequire } from 'node:module'
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import type { BackendCertificate, BackendKey, CertificateDetails, HashName, JwkMembers, KeyPairSpec, SignatureParams } from './types.ts'
import { JWK_EXPORT, dict } from '../util/dict.ts'
import { writeKeyDer } from './key-writer.ts'

export const BACKEND_NAME = 'node' as const

export function randomBytes(length: number): Uint8Array {
  return nodeRandomBytes(length)
}

export function digest(hash: HashName, data: Uint8Array | string): Uint8Array {
  return createHash(hash).update(data).digest()
}

// node:crypto's one-shot hash (Node 20.12+) skips the Hash object: the fast path for ath and thumbprints.
const oneShotHash = (nodeCrypto as { hash?: (alg: string, data: Uint8Array | string, enc: 'base64url') => string }).hash

export function digestBase64url(hash: HashName, data: Uint8Array | string): string {
  return typeof oneShotHash === 'function' ? oneShotHash(hash, data, 'base64url') : createHash(hash).update(data).digest('base64url')
}

export function shake256(data: Uint8Array | string, outputLength: number): Uint8Array {
  return createHash('shake256', { outputLength }).update(data).digest()
}

export function hmac(hash: 'sha256' | 'sha384' | 'sha512', key: BackendKey | Uint8Array, data: Uint8Array): Uint8Array {
  return createHmac(hash, key as KeyObject | Uint8Array).update(data).digest()
}

export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && nodeTimingSafeEqual(a, b)
}

const EC_NAMES: Readonly<Record<string, string>> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1', secp256k1: 'secp256k1' }

export function ecPublicPoint(crv: string, d: Uint8Array): Uint8Array | undefined {
  const name = EC_NAMES[crv]
  if (name === undefined) return undefined
  try {
    const ecdh = createECDH(name)
    ecdh.setPrivateKey(d)
    return ecdh.getPublicKey() // 0x04 ‖ X ‖ Y
  } catch {
    return undefined
  }
}

/**
 * node:crypto's JWK import builds an OKP private key from `d` alone (x must be present but is not
 * used; the test "d matches x" would catch a change), about 10× faster than importing the same
 * bytes as PKCS#8 DER.
 */
export function okpPublicX(crv: string, d: string, x: string): string | undefined {
  try {
    const priv = createPrivateKey({ key: { kty: 'OKP', crv, d, x }, format: 'jwk', passphrase: undefined })
    return createPublicKey(priv).export(JWK_EXPORT).x
  } catch {
    return undefined
  }
}

interface NodeCertificate extends BackendCertificate {
  readonly x509: X509Certificate
}

export function parseCertificate(der: Uint8Array): BackendCertificate {
  return { der, x509: new X509Certificate(der) } as NodeCertificate
}

export function certificatePublicJwk(cert: BackendCertificate): Record<string, unknown> {
  return (cert as NodeCertificate).x509.publicKey.export(JWK_EXPORT) as Record<string, unknown>
}

export function certificatePublicKey(cert: BackendCertificate): BackendKey {
  return (cert as NodeCertificate).x509.publicKey
}

export function certificateDetails(cert: BackendCertificate): CertificateDetails {
  const x = (cert as NodeCertificate).x509
  return { subject: x.subject, issuer: x.issuer, validFrom: x.validFrom, validTo: x.validTo, serialNumber: x.serialNumber, fingerprint256: x.fingerprint256, ca: x.ca }
}

export function certificateIssuedBy(cert: BackendCertificate, issuer: BackendCertificate): boolean {
  const c = (cert as NodeCertificate).x509
  const i = (issuer as NodeCertificate).x509
  return c.checkIssued(i) && c.verify(i.publicKey)
}

export function isBackendKey(value: unknown): value is BackendKey {
  return value instanceof KeyObject
}

/**
 * The same key in node:crypto's fastest form for many verifications. An RSA public key imported
 * from JWK members (or PKCS #1) is an OpenSSL legacy key, which verifies about 1.8 % slower than
 * the same key decoded from SPKI DER; that decoding costs about 0.4 ms with the export, so callers
 * ask for it only once a key has proved long-lived (jws/key-usage.ts). Other keys are returned as
 * they are.
 */
export function keyForReuse(key: BackendKey): BackendKey {
  const ko = key as KeyObject
  if (ko.type !== 'public' || ko.asymmetricKeyType !== 'rsa') return key
  return createPublicKey({ key: ko.export({ type: 'spki', format: 'der' }), format: 'der', type: 'spki' })
}

/**
 * The private members node:crypto's JWK import reads from a copy of its own (an object literal
 * with kty, crv, x, y or n, e): its C++ looks them up through Object.prototype, so with one of them
 * polluted a public key imports as a broken private key and fails.
 */
const READ_THROUGH_PROTOTYPE = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const

export function importJwkMembers(jwk: JwkMembers, as: 'public' | 'private'): BackendKey {
  if (jwk.kty === 'oct') return createSecretKey(Buffer.from(String(jwk.k), 'base64url'))
  const key = jwk as unknown as JsonWebKey
  if (as === 'public') {
    // Then the SPKI that backend/key-writer writes from the same members (the same key, without the copy).
    if (READ_THROUGH_PROTOTYPE.some((name) => Object.hasOwn(Object.prototype, name))) return importKeyDer(writeKeyDer(jwk as Readonly<Record<string, string>>, 'spki'), 'spki', 'public')
    return createPublicKey({ key, format: 'jwk' })
  }
  return createPrivateKey({ key, format: 'jwk', passphrase: undefined })
}

export function importPemText(text: string, as: 'public' | 'private'): BackendKey {
  return as === 'private' ? createPrivateKey(text) : createPublicKey(text)
}

export function importKeyDer(der: Uint8Array, type: 'spki' | 'pkcs8' | 'pkcs1' | 'sec1', as: 'public' | 'private'): BackendKey {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength)
  return as === 'public' ? createPublicKey({ key, format: 'der', type: type as 'spki' | 'pkcs1' }) : createPrivateKey({ key, format: 'der', type: type as 'pkcs8' | 'pkcs1' | 'sec1', passphrase: undefined })
}

export function exportKeyDer(key: BackendKey, type: 'spki' | 'pkcs8' | 'pkcs1' | 'sec1'): Uint8Array {
  const ko = key as KeyObject
  if (type === 'spki') return (ko.type === 'public' ? ko : createPublicKey(ko)).export({ format: 'der', type: 'spki' })
  // Own cipher and passphrase (none): node:crypto reads both through the prototype otherwise.
  return ko.export({ format: 'der', type: type as 'pkcs1', cipher: undefined, passphrase: undefined })
}

export function pbkdf2(passphrase: string | Uint8Array, salt: Uint8Array, iterations: number, keyLength: number, digest: 'sha1' | 'sha256'): Uint8Array {
  return pbkdf2Sync(passphrase, salt, iterations, keyLength, digest)
}

export function pbkdf2Async(passphrase: Uint8Array, salt: Uint8Array, iterations: number, keyLength: number, digest: 'sha256' | 'sha384' | 'sha512'): Promise<Uint8Array> {
  return new Promise((resolve, reject) => nodePbkdf2(passphrase, salt, iterations, keyLength, digest, (error, key) => (error ? reject(error) : resolve(key))))
}

export function secretKey(bytes: Uint8Array): BackendKey {
  return createSecretKey(bytes)
}

export function publicKeyOf(key: BackendKey): BackendKey {
  return key.type === 'private' ? createPublicKey(key as KeyObject) : key
}

export function exportJwkMembers(key: BackendKey): Record<string, unknown> {
  const ko = key as KeyObject
  return (ko.asymmetricKeyType === 'rsa-pss' ? rsaPssJwk(ko) : ko.export(JWK_EXPORT)) as Record<string, unknown>
}

export function fromCryptoKey(key: webcrypto.CryptoKey): BackendKey {
  return KeyObject.from(key)
}

/**
 * An RSASSA-PSS key (RFC 4055 §1.2, OID id-RSASSA-PSS) holds an ordinary RSA key, but node:crypto
 * has no JWK form for it: unwrap the RSAPublicKey / RSAPrivateKey (RFC 8017 A.1) from the SPKI /
 * PKCS#8 and export that. A key restricted to one hash keeps it as `alg` (PS256/PS384/PS512).
 */
function rsaPssJwk(key: KeyObject): JsonWebKey {
  let inner: KeyObject
  if (key.type === 'public') {
    // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING } (RFC 5280 §4.1)
    const der = key.export({ format: 'der', type: 'spki' })
    const outer = readTlv(der, 0, 0x30)
    const algorithm = readTlv(der, outer.start, 0x30)
    const bits = readTlv(der, algorithm.end, 0x03)
    inner = createPublicKey({ key: der.subarray(bits.start + 1, bits.end), format: 'der', type: 'pkcs1' })
  } else {
    // PrivateKeyInfo ::= SEQUENCE { version INTEGER, algorithm AlgorithmIdentifier, privateKey OCTET STRING } (RFC 5208 §5)
    const der = key.export({ format: 'der', type: 'pkcs8', cipher: undefined, passphrase: undefined })
    const outer = readTlv(der, 0, 0x30)
    const version = readTlv(der, outer.start, 0x02)
    const algorithm = readTlv(der, version.end, 0x30)
    const octets = readTlv(der, algorithm.end, 0x04)
    inner = createPrivateKey({ key: der.subarray(octets.start, octets.end), format: 'der', type: 'pkcs1', passphrase: undefined })
  }
  const jwk = inner.export(JWK_EXPORT)
  const hash = key.asymmetricKeyDetails?.hashAlgorithm
  const alg = hash === 'sha256' ? 'PS256' : hash === 'sha384' ? 'PS384' : hash === 'sha512' ? 'PS512' : undefined
  return alg === undefined ? jwk : { ...jwk, alg }
}

/** One DER TLV (X.690 §8.1) of the expected tag at `offset`: where its content starts and ends. */
function readTlv(der: Buffer, offset: number, tag: number): { start: number; end: number } {
  if (der[offset] !== tag) throw new Error('unexpected DER tag')
  let length = der[offset + 1] ?? 0
  let start = offset + 2
  if (length & 0x80) {
    const count = length & 0x7f
    if (count < 1 || count > 3) throw new Error('unexpected DER length')
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + (der[start + i] ?? 0)
    start += count
  }
  if (start + length > der.length) throw new Error('truncated DER')
  return { start, end: start + length }
}



export function exportSecret(key: BackendKey): Uint8Array {
  return (key as KeyObject).export()
}

/**
 * Node's key generation (keygen.js `wrapKey`) takes anything with a `kty` for a JWK and hands it
 * back unwrapped: with `Object.prototype.kty` set, the private "key" is node's raw handle, and
 * exporting that aborts the process (an assertion in crypto_keys.cc). A generation that returns no
 * KeyObject is therefore made again as PKCS #8 DER (a Buffer, never unwrapped) and imported.
 */
const PKCS8_DER = dict({ format: 'der', type: 'pkcs8' }) as { format: 'der'; type: 'pkcs8' }
const fromPkcs8 = (der: Buffer): KeyObject => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })

function keygenArgs(spec: KeyPairSpec): [type: string, options: Record<string, unknown>] {
  if (spec.kind === 'rsa') return ['rsa', { modulusLength: spec.modulusLength, publicExponent: 0x10001 }]
  if (spec.kind === 'ec') return ['ec', { namedCurve: spec.crv }]
  return [spec.crv.toLowerCase(), {}]
}

export function generateKeyPair(spec: KeyPairSpec): Promise<BackendKey> {
  const [type, options] = keygenArgs(spec)
  const generate = generateKeyPairCallback as unknown as (type: string, options: object, done: (error: Error | null, publicKey: unknown, privateKey: unknown) => void) => void
  return new Promise((resolve, reject) => {
    generate(type, options, (error, _publicKey, privateKey) => {
      if (error) return reject(error)
      if (privateKey instanceof KeyObject) return resolve(privateKey)
      generate(type, { ...options, privateKeyEncoding: PKCS8_DER }, (again, _p, der) => (again ? reject(again) : resolve(fromPkcs8(der as Buffer))))
    })
  })
}

export function generateKeyPairSync(spec: Exclude<KeyPairSpec, { kind: 'rsa' }>): BackendKey {
  const [type, options] = keygenArgs(spec)
  const generate = nodeGenerateKeyPairSync as unknown as (type: string, options: object) => { privateKey: unknown }
  const { privateKey } = generate(type, options)
  return privateKey instanceof KeyObject ? privateKey : fromPkcs8(generate(type, { ...options, privateKeyEncoding: PKCS8_DER }).privateKey as Buffer)
}

const concat = (a: Uint8Array, b: Uint8Array): Buffer => Buffer.concat([a, b])
/** AES-GCM options without a prototype: node:crypto reads `encoding` (and stream options) from them through the chain. */
const GCM_OPTIONS = dict({ authTagLength: 16 }) as { authTagLength: 16 }

export function aesGcmEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): { ciphertext: Uint8Array; tag: Uint8Array } {
  const cipher = createCipheriv(`aes-${key.length * 8}-gcm` as 'aes-128-gcm', key, iv, GCM_OPTIONS)
  cipher.setAAD(aad)
  const ciphertext = concat(cipher.update(plaintext), cipher.final())
  return { ciphertext, tag: cipher.getAuthTag() }
}

export function aesGcmDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Uint8Array {
  // RFC 7518 §5.3: the tag is exactly 128 bits (node would otherwise accept shorter tags).
  const decipher = createDecipheriv(`aes-${key.length * 8}-gcm` as 'aes-128-gcm', key, iv, GCM_OPTIONS)
  decipher.setAAD(aad)
  decipher.setAuthTag(tag)
  return concat(decipher.update(ciphertext), decipher.final())
}

export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const cipher = createCipheriv(`aes-${key.length * 8}-cbc`, key, iv)
  return concat(cipher.update(plaintext), cipher.final())
}

export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const decipher = createDecipheriv(`aes-${key.length * 8}-cbc`, key, iv)
  return concat(decipher.update(ciphertext), decipher.final())
}

export function aesCtrDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const decipher = createDecipheriv(`aes-${key.length * 8}-ctr`, key, iv)
  return concat(decipher.update(ciphertext), decipher.final())
}

export function aesCbcDecryptUnpadded(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const decipher = createDecipheriv(`aes-${key.length * 8}-cbc`, key, iv)
  decipher.setAutoPadding(false)
  return concat(decipher.update(ciphertext), decipher.final())
}

type Bcrypt = { pbkdf: (pass: Uint8Array, passlen: number, salt: Uint8Array, saltlen: number, key: Uint8Array, keylen: number, rounds: number) => number }
let bcrypt: Bcrypt | undefined

export function bcryptPbkdf(passphrase: Uint8Array, salt: Uint8Array, rounds: number, keyLength: number): Uint8Array {
  // CommonJS, loaded on first use only (most programs never open a passphrase-protected OpenSSH key).
  bcrypt ??= createRequire(import.meta.url)('bcrypt-pbkdf') as Bcrypt
  const out = new Uint8Array(keyLength)
  if (bcrypt.pbkdf(passphrase, passphrase.length, salt, salt.length, out, keyLength, rounds) !== 0) throw new Error('bcrypt_pbkdf refused its parameters')
  return out
}

const AES_KW_IV = Buffer.from('a6a6a6a6a6a6a6a6', 'hex') // RFC 3394 §2.2.3.1

export function aesKwWrap(kek: Uint8Array, keyData: Uint8Array): Uint8Array {
  const cipher = createCipheriv(`id-aes${kek.length * 8}-wrap`, kek, AES_KW_IV)
  return concat(cipher.update(keyData), cipher.final())
}

export function aesKwUnwrap(kek: Uint8Array, wrapped: Uint8Array): Uint8Array {
  const decipher = createDecipheriv(`id-aes${kek.length * 8}-wrap`, kek, AES_KW_IV)
  return concat(decipher.update(wrapped), decipher.final())
}

export function rsaOaepEncrypt(hash: 'sha1' | 'sha256' | 'sha384' | 'sha512', key: BackendKey, data: Uint8Array): Uint8Array {
  return publicEncrypt({ key: key as KeyObject, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, data)
}

export function rsaOaepDecrypt(hash: 'sha1' | 'sha256' | 'sha384' | 'sha512', key: BackendKey, data: Uint8Array): Uint8Array {
  return privateDecrypt({ key: key as KeyObject, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, data)
}

export function ecdh(privateKey: BackendKey, publicKey: BackendKey): Uint8Array {
  return diffieHellman({ privateKey: privateKey as KeyObject, publicKey: publicKey as KeyObject })
}

export function deflateRaw(data: Uint8Array): Uint8Array {
  return deflateRawSync(data)
}

export function inflateRaw(data: Uint8Array, maxBytes: number): Uint8Array {
  return inflateRawSync(data, { maxOutputLength: maxBytes })
}

const PSS = constants.RSA_PKCS1_PSS_PADDING
const PKCS1 = constants.RSA_PKCS1_PADDING

/**
 * The key argument of node:crypto's sign and verify: node reads `padding`, `saltLength` and
 * `dsaEncoding` from it through the prototype chain, so each is an own member here (undefined
 * where it does not apply): a polluted `Object.prototype.padding` (or the others) changes no
 * signature. A small literal per call; no measurable cost beside the signature itself.
 */
function signingKey(p: SignatureParams, key: BackendKey): nodeCrypto.SignKeyObjectInput & nodeCrypto.SigningOptions {
  const ko = key as KeyObject
  switch (p.family) {
    case 'RSA-PKCS1': return { key: ko, padding: PKCS1, saltLength: undefined, dsaEncoding: undefined }
    // RFC 7518 §3.5: salt length = hash length, MGF1 with the same hash (node's default).
    case 'RSA-PSS': return { key: ko, padding: PSS, saltLength: p.saltLength!, dsaEncoding: undefined }
    case 'ECDSA': return { key: ko, padding: undefined, saltLength: undefined, dsaEncoding: 'ieee-p1363' }
    case 'EdDSA': return { key: ko, padding: undefined, saltLength: undefined, dsaEncoding: undefined }
  }
}

export function sign(p: SignatureParams, key: BackendKey, data: Uint8Array): Uint8Array {
  return nodeSign(p.family === 'EdDSA' ? null : p.hash!, data, signingKey(p, key))
}

export function verify(p: SignatureParams, key: BackendKey, data: Uint8Array, signature: Uint8Array): boolean {
  return nodeVerify(p.family === 'EdDSA' ? null : p.hash!, data, signingKey(p, key), signature)
}
