/**
 * @module backend/web
 * The crypto seam (see backend/types.ts) for Bun, Deno, Cloudflare workerd and browsers:
 * WebCrypto (`crypto.subtle`) for RSA, ECDSA on P-256/P-384/P-521 and Ed25519 — the platform's
 * own, fastest code — and the audited `@noble` packages for what WebCrypto lacks or only has
 * asynchronously: secp256k1, Ed448, X448 (`@noble/curves`), synchronous SHA-1/SHA-2 and HMAC for
 * thumbprints and HS* (`@noble/hashes`), AES-GCM, AES-CBC and AES-KW (`@noble/ciphers`), ECDH.
 * When a runtime's WebCrypto refuses a key it should know (an old browser without Ed25519,
 * a runtime without P-521), the key falls back to `@noble` at its first use: decided per key,
 * never by sniffing the runtime.
 */
import { aeskw, cbc, ctr, gcm } from '@noble/ciphers/aes.js'
import { ed25519, x25519 } from '@noble/curves/ed25519.js'
import { ed448, x448 } from '@noble/curves/ed448.js'
import { p256, p384, p521 } from '@noble/curves/nist.js'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { hmac as nobleHmac } from '@noble/hashes/hmac.js'
import { pbkdf2 as noblePbkdf2 } from '@noble/hashes/pbkdf2.js'
import { sha1 } from '@noble/hashes/legacy.js'
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js'
import { shake256 as nobleShake256 } from '@noble/hashes/sha3.js'
import { JwkitError } from '../errors.ts'
import type { BackendCertificate, BackendKey, CertificateDetails, CryptoKeyLike, HashName, JwkMembers, KeyPairSpec, SignatureParams } from './types.ts'
import { certificateDetailsOf, parseCertificateDer, privateDerJwk, rsaPublicDerJwk, spkiDerJwk, spkiJwkOf, type ParsedCertificate } from './x509.ts'
import { b64u, fromB64u } from './bytes.ts'
import { writeKeyDer } from './key-writer.ts'
import { certificateSignedBy } from './cert-signature.ts'
import type { webcrypto } from 'node:crypto'

export const BACKEND_NAME = 'web' as const

type Subtle = webcrypto.SubtleCrypto
const webCrypto = (globalThis as unknown as { crypto: webcrypto.Crypto }).crypto
const subtle: Subtle = webCrypto.subtle

const unsupported = (what: string): JwkitError => new JwkitError('ERR_JWK_UNSUPPORTED', `this runtime lacks ${what}`)

export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length)
  // W3C WebCrypto §10.1.1: at most 65536 bytes per call.
  for (let i = 0; i < length; i += 65536) webCrypto.getRandomValues(out.subarray(i, Math.min(length, i + 65536)))
  return out
}

const HASHES = { sha1, sha256, sha384, sha512 } as const
const encoder = new TextEncoder()
const bytesOf = (data: Uint8Array | string): Uint8Array => (typeof data === 'string' ? encoder.encode(data) : data)

export function digest(hash: HashName, data: Uint8Array | string): Uint8Array {
  const h = HASHES[hash]
  if (h === undefined) throw unsupported(`the ${String(hash)} digest`)
  return h(bytesOf(data))
}

export function digestBase64url(hash: HashName, data: Uint8Array | string): string {
  return b64u(digest(hash, data))
}

export function shake256(data: Uint8Array | string, outputLength: number): Uint8Array {
  return nobleShake256(bytesOf(data), { dkLen: outputLength })
}

/** HMAC state after the key block (RFC 2104: K xor ipad, K xor opad), per secret key and hash: each MAC clones it. */
const hmacStates = new WeakMap<object, Map<string, ReturnType<typeof nobleHmac.create>>>()

export function hmac(hash: 'sha256' | 'sha384' | 'sha512', key: BackendKey | Uint8Array, data: Uint8Array): Uint8Array {
  if (key instanceof Uint8Array) return nobleHmac(HASHES[hash], key, data)
  const secret = secretOf(key)
  let states = hmacStates.get(key)
  if (states === undefined) hmacStates.set(key, (states = new Map()))
  let state = states.get(hash)
  if (state === undefined) states.set(hash, (state = nobleHmac.create(HASHES[hash], secret)))
  return state.clone().update(data).digest()
}

export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

// ---- keys ----------------------------------------------------------------------------------

const NODE_CURVE_NAMES: Readonly<Record<string, string>> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1', secp256k1: 'secp256k1' }
const WEIERSTRASS = { 'P-256': p256, 'P-384': p384, 'P-521': p521, secp256k1 } as const
const EDWARDS = { Ed25519: ed25519, Ed448: ed448 } as const
const MONTGOMERY = { X25519: x25519, X448: x448 } as const
const KEY_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'],
  EC: ['crv', 'x', 'y', 'd'],
  OKP: ['crv', 'x', 'd'],
}
const PUBLIC_MEMBERS: Readonly<Record<string, readonly string[]>> = { RSA: ['n', 'e'], EC: ['crv', 'x', 'y'], OKP: ['crv', 'x'] }

/** A key of the web backend: the JWK members, the facts key checks read, and CryptoKeys made on first use. */
class WebKey implements BackendKey {
  readonly type: 'secret' | 'public' | 'private'
  readonly asymmetricKeyType: string | undefined
  readonly asymmetricKeyDetails: { namedCurve?: string; modulusLength?: number } | undefined
  readonly symmetricKeySize: number | undefined
  readonly members: Readonly<Record<string, string>>
  readonly secret: Uint8Array | undefined
  /** WebCrypto keys by algorithm, or null where WebCrypto refused the key (noble is used then). */
  readonly subtleKeys = new Map<string, Promise<webcrypto.CryptoKey | null>>()
  publicHalf: WebKey | undefined

  constructor(type: 'secret' | 'public' | 'private', members: Record<string, string>, secret?: Uint8Array) {
    this.type = type
    this.members = Object.freeze(members)
    this.secret = secret
    this.symmetricKeySize = secret?.length
    const kty = members.kty
    if (kty === 'RSA') {
      const n = fromB64u(members.n!)
      let bits = n.length * 8
      for (let b = n[0] ?? 0; bits > 0 && (b & 0x80) === 0 && b !== 0; b <<= 1) bits--
      this.asymmetricKeyType = 'rsa'
      this.asymmetricKeyDetails = { modulusLength: bits }
    } else if (kty === 'EC') {
      this.asymmetricKeyType = 'ec'
      this.asymmetricKeyDetails = { namedCurve: NODE_CURVE_NAMES[members.crv!] ?? members.crv! }
    } else if (kty === 'OKP') {
      this.asymmetricKeyType = members.crv!.toLowerCase()
      this.asymmetricKeyDetails = {}
    } else {
      this.asymmetricKeyType = undefined
      this.asymmetricKeyDetails = undefined
    }
  }
}

function asWebKey(key: BackendKey): WebKey {
  if (!(key instanceof WebKey)) throw new TypeError('not a key of this crypto backend')
  return key
}

function secretOf(key: BackendKey): Uint8Array {
  const k = asWebKey(key)
  if (k.secret === undefined) throw new TypeError('not a secret key')
  return k.secret
}

export function isBackendKey(value: unknown): value is BackendKey {
  return value instanceof WebKey
}

/** The key as it is: the web backend has one form of each key (node.ts re-imports RSA public keys). */
export function keyForReuse(key: BackendKey): BackendKey {
  return key
}

export function importJwkMembers(jwk: JwkMembers, as: 'public' | 'private'): BackendKey {
  const kty = String(jwk.kty)
  if (kty === 'oct') return secretKey(fromB64u(String(jwk.k)))
  const names = (as === 'public' ? PUBLIC_MEMBERS : KEY_MEMBERS)[kty]
  if (names === undefined) throw unsupported(`${kty} keys`)
  const members: Record<string, string> = { kty }
  for (const name of names) if (typeof jwk[name] === 'string') members[name] = jwk[name] as string
  if (as === 'private' && members.d === undefined) throw new TypeError('a private key needs d')
  if (members.crv !== undefined && kty === 'EC' && !(members.crv in WEIERSTRASS)) throw unsupported(`the EC curve ${members.crv}`)
  if (members.crv !== undefined && kty === 'OKP' && !(members.crv in EDWARDS) && !(members.crv in MONTGOMERY)) throw unsupported(`the OKP curve ${members.crv}`)
  return new WebKey(as, members)
}

const PEM_TYPES: Readonly<Record<string, ['spki' | 'pkcs8' | 'pkcs1' | 'sec1', 'public' | 'private']>> = {
  'PUBLIC KEY': ['spki', 'public'], 'RSA PUBLIC KEY': ['pkcs1', 'public'],
  'PRIVATE KEY': ['pkcs8', 'private'], 'RSA PRIVATE KEY': ['pkcs1', 'private'], 'EC PRIVATE KEY': ['sec1', 'private'],
}

/** PEM keys (SPKI, PKCS #1, PKCS #8, SEC1; not encrypted) by jwkit's own DER walk. */
export function importPemText(text: string, as: 'public' | 'private'): BackendKey {
  const m = /-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\s]+)-----END \1-----/.exec(text)
  const kind = m === null ? undefined : PEM_TYPES[m[1]!]
  if (kind === undefined || kind[1] !== as) throw unsupported(`a reader for this PEM block${m === null ? '' : ` (${m[1]!.slice(0, 30)})`} as a ${as} key; encrypted keys and certificates go through fromPem / fromX509`)
  const der = Uint8Array.from(atob(m![2]!.replace(/\s+/g, '')), (c) => c.charCodeAt(0))
  return importKeyDer(der, kind[0], as)
}

/** Public keys (SPKI, PKCS #1 RSAPublicKey) are read by jwkit's own DER walk; private DER needs a reader this backend lacks. */
export function importKeyDer(der: Uint8Array, type: 'spki' | 'pkcs8' | 'pkcs1' | 'sec1', as: 'public' | 'private'): BackendKey {
  if (as === 'public' && type === 'spki') return importJwkMembers(spkiDerJwk(der, uncompressPoint), 'public')
  if (as === 'public' && type === 'pkcs1') return importJwkMembers(rsaPublicDerJwk(der), 'public')
  if (as === 'private' && type !== 'spki') {
    const okpX = (crv: string, d: Uint8Array) => okpPublicX(crv, b64u(d), '')
    return importJwkMembers(privateDerJwk(der, type, ecPublicPoint, uncompressPoint, okpX), 'private')
  }
  throw unsupported(`a ${type.toUpperCase()} ${as} key reader`)
}

const uncompressPoint = (crv: string, bytes: Uint8Array): Uint8Array | undefined => WEIERSTRASS[crv as keyof typeof WEIERSTRASS]?.Point.fromBytes(bytes).toBytes(false)

/** DER by jwkit's own writer from the key's JWK members (WebCrypto's exportKey is asynchronous): node:crypto's bytes. */
export function exportKeyDer(key: BackendKey, type: 'spki' | 'pkcs8' | 'pkcs1' | 'sec1'): Uint8Array {
  const k = asWebKey(key)
  if (k.type === 'secret') throw new JwkitError('ERR_JWK_UNSUPPORTED', 'a secret key has no SPKI, PKCS #8, PKCS #1 or SEC1 form')
  return writeKeyDer(k.members, type)
}

export function pbkdf2(passphrase: string | Uint8Array, salt: Uint8Array, iterations: number, keyLength: number, digest: 'sha1' | 'sha256'): Uint8Array {
  return noblePbkdf2(HASHES[digest], bytesOf(passphrase), salt, { c: iterations, dkLen: keyLength })
}

export async function pbkdf2Async(passphrase: Uint8Array, salt: Uint8Array, iterations: number, keyLength: number, digest: 'sha256' | 'sha384' | 'sha512'): Promise<Uint8Array> {
  try {
    const base = await subtle.importKey('raw', passphrase, 'PBKDF2', false, ['deriveBits'])
    return new Uint8Array(await subtle.deriveBits({ name: 'PBKDF2', salt, iterations, hash: `SHA-${digest.slice(3)}` }, base, keyLength * 8))
  } catch {
    // A WebCrypto without PBKDF2 (or with a passphrase it refuses): @noble/hashes, synchronously.
    return noblePbkdf2(HASHES[digest], passphrase, salt, { c: iterations, dkLen: keyLength })
  }
}

export function secretKey(bytes: Uint8Array): BackendKey {
  return new WebKey('secret', { kty: 'oct' }, new Uint8Array(bytes))
}

export function publicKeyOf(key: BackendKey): BackendKey {
  const k = asWebKey(key)
  if (k.type !== 'private') return k
  if (k.publicHalf === undefined) {
    const members: Record<string, string> = {}
    for (const name of ['kty', ...(PUBLIC_MEMBERS[k.members.kty!] ?? [])]) if (k.members[name] !== undefined) members[name] = k.members[name]!
    k.publicHalf = new WebKey('public', members)
  }
  return k.publicHalf
}

export function exportJwkMembers(key: BackendKey): Record<string, unknown> {
  const k = asWebKey(key)
  if (k.type === 'secret') return { kty: 'oct', k: b64u(k.secret!) }
  return { ...k.members }
}

export function fromCryptoKey(_key: CryptoKeyLike): BackendKey {
  throw unsupported('a synchronous CryptoKey export (WebCrypto exportKey is asynchronous): export the CryptoKey as a JWK with crypto.subtle.exportKey and pass the JWK')
}

export function exportSecret(key: BackendKey): Uint8Array {
  return secretOf(key)
}

function scalarBytes(crv: keyof typeof WEIERSTRASS): number {
  return crv === 'P-521' ? 66 : crv === 'P-384' ? 48 : 32
}

/** EC key pair from a noble secret key: the JWK members (x, y from the uncompressed point). */
function ecMembers(crv: keyof typeof WEIERSTRASS, d: Uint8Array): Record<string, string> {
  const point = WEIERSTRASS[crv].getPublicKey(d, false)
  const size = scalarBytes(crv)
  return { kty: 'EC', crv, x: b64u(point.subarray(1, 1 + size)), y: b64u(point.subarray(1 + size)), d: b64u(d) }
}

function okpMembers(crv: 'Ed25519' | 'Ed448' | 'X25519' | 'X448', d: Uint8Array): Record<string, string> {
  const impl = crv === 'Ed25519' || crv === 'Ed448' ? EDWARDS[crv] : MONTGOMERY[crv]
  return { kty: 'OKP', crv, x: b64u(impl.getPublicKey(d)), d: b64u(d) }
}

/** A fresh EC or OKP private key, synchronously (ECDH-ES ephemeral keys, generation). */
export function generateKeyPairSync(spec: Exclude<KeyPairSpec, { kind: 'rsa' }>): BackendKey {
  if (spec.kind === 'ec') {
    const d = WEIERSTRASS[spec.crv].utils.randomSecretKey()
    return new WebKey('private', ecMembers(spec.crv, d))
  }
  const bytes = spec.crv === 'Ed448' ? 57 : spec.crv === 'X448' ? 56 : 32
  return new WebKey('private', okpMembers(spec.crv, randomBytes(bytes)))
}

export async function generateKeyPair(spec: KeyPairSpec): Promise<BackendKey> {
  if (spec.kind !== 'rsa') return generateKeyPairSync(spec)
  let pair: webcrypto.CryptoKeyPair
  try {
    pair = await subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: spec.modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true, ['sign', 'verify'],
    ) as webcrypto.CryptoKeyPair
  } catch (cause) {
    throw new JwkitError('ERR_JWK_UNSUPPORTED', `this runtime's WebCrypto cannot generate a ${spec.modulusLength}-bit RSA key`, { cause })
  }
  const jwk = await subtle.exportKey('jwk', pair.privateKey) as Record<string, unknown>
  return importJwkMembers(jwk, 'private')
}

// ---- JWK model checks ----------------------------------------------------------------------

export function ecPublicPoint(crv: string, d: Uint8Array): Uint8Array | undefined {
  const impl = WEIERSTRASS[crv as keyof typeof WEIERSTRASS]
  if (impl === undefined) return undefined
  try {
    return impl.getPublicKey(d, false)
  } catch {
    return undefined
  }
}

export function okpPublicX(crv: string, d: string, _x: string): string | undefined {
  const impl = crv === 'Ed25519' || crv === 'Ed448' ? EDWARDS[crv] : crv === 'X25519' || crv === 'X448' ? MONTGOMERY[crv] : undefined
  if (impl === undefined) return undefined
  try {
    return b64u(impl.getPublicKey(fromB64u(d)))
  } catch {
    return undefined
  }
}

// ---- certificates --------------------------------------------------------------------------

export function parseCertificate(der: Uint8Array): BackendCertificate {
  return parseCertificateDer(der)
}

export function certificatePublicJwk(cert: BackendCertificate): Record<string, unknown> {
  return spkiJwkOf(cert as ParsedCertificate, uncompressPoint)
}

export function certificatePublicKey(cert: BackendCertificate): BackendKey {
  return importJwkMembers(certificatePublicJwk(cert), 'public')
}

export function certificateDetails(cert: BackendCertificate): CertificateDetails {
  return certificateDetailsOf(cert as ParsedCertificate, (der) => digest('sha256', der))
}

/** Names, key identifiers, keyUsage and the signature, in pure code (WebCrypto is asynchronous): backend/cert-signature.ts. */
export function certificateIssuedBy(cert: BackendCertificate, issuer: BackendCertificate): boolean {
  return certificateSignedBy(cert as ParsedCertificate, issuer as ParsedCertificate, certificatePublicJwk)
}

// ---- compression ---------------------------------------------------------------------------

type Streams = { CompressionStream: new (format: string) => TransformStream<Uint8Array, Uint8Array>; DecompressionStream: new (format: string) => TransformStream<Uint8Array, Uint8Array> }
const streams = globalThis as unknown as Partial<Streams>

async function pipe(stream: TransformStream<Uint8Array, Uint8Array>, data: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  const writer = stream.writable.getWriter()
  writer.write(data).catch(() => undefined)
  writer.close().catch(() => undefined)
  const reader = stream.readable.getReader()
  const parts: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.length
    if (total > maxBytes) {
      reader.cancel().catch(() => undefined)
      throw Object.assign(new RangeError('output too large'), { code: 'ERR_BUFFER_TOO_LARGE' })
    }
    parts.push(value)
  }
  const out = new Uint8Array(total)
  let at = 0
  for (const p of parts) { out.set(p, at); at += p.length }
  return out
}

export function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  if (streams.CompressionStream === undefined) throw unsupported('CompressionStream (raw DEFLATE for zip "DEF")')
  return pipe(new streams.CompressionStream('deflate-raw'), data, Number.MAX_SAFE_INTEGER)
}

export function inflateRaw(data: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  if (streams.DecompressionStream === undefined) throw unsupported('DecompressionStream (raw INFLATE for zip "DEF")')
  return pipe(new streams.DecompressionStream('deflate-raw'), data, maxBytes)
}

// ---- signatures ----------------------------------------------------------------------------

type WebParams = { name: string; hash?: string; namedCurve?: string }

function webParams(p: SignatureParams, key: WebKey): WebParams {
  const hash = p.hash === undefined ? undefined : `SHA-${p.hash.slice(3)}`
  switch (p.family) {
    case 'RSA-PKCS1': return { name: 'RSASSA-PKCS1-v1_5', hash: hash! }
    case 'RSA-PSS': return { name: 'RSA-PSS', hash: hash! }
    case 'ECDSA': return { name: 'ECDSA', namedCurve: key.members.crv!, hash: hash! }
    case 'EdDSA': return { name: key.members.crv! }
  }
}

type Noble = { sign(data: Uint8Array, d: Uint8Array): Uint8Array; verify(sig: Uint8Array, data: Uint8Array): boolean }

/** noble for the curves WebCrypto lacks (secp256k1, Ed448) and as the fallback where it refuses a key. */
function nobleOf(key: WebKey): Noble | undefined {
  const crv = key.members.crv
  if (key.members.kty === 'EC' && crv !== undefined && crv in WEIERSTRASS) {
    const impl = WEIERSTRASS[crv as keyof typeof WEIERSTRASS]
    const size = scalarBytes(crv as keyof typeof WEIERSTRASS)
    let pub: Uint8Array | undefined
    const point = (): Uint8Array => {
      if (pub === undefined) {
        pub = new Uint8Array(1 + 2 * size)
        pub[0] = 4
        pub.set(fromB64u(key.members.x!), 1)
        pub.set(fromB64u(key.members.y!), 1 + size)
      }
      return pub
    }
    return {
      sign: (data, d) => impl.sign(data, d, { prehash: true, lowS: false }),
      // RFC 7518 §3.4 does not ask for low-S: accept both halves, as OpenSSL does.
      verify: (sig, data) => impl.verify(sig, data, point(), { prehash: true, lowS: false }),
    }
  }
  if (key.members.kty === 'OKP' && (crv === 'Ed25519' || crv === 'Ed448')) {
    const impl = EDWARDS[crv]
    let pub: Uint8Array | undefined
    return { sign: (data, d) => impl.sign(data, d), verify: (sig, data) => impl.verify(sig, data, (pub ??= fromB64u(key.members.x!))) }
  }
  return undefined
}

const NOBLE_ONLY = new Set(['secp256k1', 'Ed448'])

/**
 * What one key needs to sign or verify with one algorithm, made at its first use and kept: the
 * WebCrypto algorithm object, the imported CryptoKey (once its import settles: later calls go
 * straight to subtle.sign/verify, no promise hop), and the @noble fallback with its decoded
 * public point. Per key object, by usage and by the (frozen, one per alg) SignatureParams.
 */
interface SignatureState {
  readonly params: WebParams
  readonly algorithm: { name: string; hash?: string; saltLength?: number }
  readonly noble: Noble | undefined
  /** True for the curves only @noble has here (secp256k1, Ed448). */
  readonly nobleOnly: boolean
  /** The CryptoKey once imported; null where WebCrypto refused it (noble is used then); undefined while pending. */
  key: webcrypto.CryptoKey | null | undefined
  ready: Promise<webcrypto.CryptoKey | null> | undefined
}

const signatureStates = { sign: new WeakMap<WebKey, Map<SignatureParams, SignatureState>>(), verify: new WeakMap<WebKey, Map<SignatureParams, SignatureState>>() }

function signatureState(k: WebKey, p: SignatureParams, usage: 'sign' | 'verify'): SignatureState {
  let byParams = signatureStates[usage].get(k)
  if (byParams === undefined) signatureStates[usage].set(k, (byParams = new Map()))
  let state = byParams.get(p)
  if (state === undefined) {
    const noble = nobleOf(k)
    const params = webParams(p, k)
    const nobleOnly = noble !== undefined && NOBLE_ONLY.has(k.members.crv!)
    const algorithm = p.family === 'RSA-PSS' ? { name: 'RSA-PSS', saltLength: p.saltLength! } : { name: params.name, ...(params.hash ? { hash: params.hash } : {}) }
    const made: SignatureState = { params, algorithm, noble, nobleOnly, key: undefined, ready: undefined }
    if (!nobleOnly) {
      made.ready = subtle.importKey('jwk', { ...k.members } as webcrypto.JsonWebKey, params, false, [usage]).then(
        (ck) => (made.key = ck),
        () => (made.key = null),
      )
    }
    byParams.set(p, (state = made))
  }
  return state
}

function refusedBySubtle(state: SignatureState, what: 'signing' | 'verification'): JwkitError {
  const { name, hash } = state.params
  return unsupported(`${name}${hash ? ' with ' + hash : ''} ${what} in WebCrypto`)
}

function signWithState(state: SignatureState, k: WebKey, ck: webcrypto.CryptoKey | null, data: Uint8Array): Uint8Array | Promise<Uint8Array> {
  if (ck === null) {
    if (state.noble === undefined) throw refusedBySubtle(state, 'signing')
    return state.noble.sign(data, fromB64u(k.members.d!))
  }
  return subtle.sign(state.algorithm, ck, data).then((sig) => new Uint8Array(sig))
}

function verifyWithState(state: SignatureState, ck: webcrypto.CryptoKey | null, data: Uint8Array, signature: Uint8Array): boolean | Promise<boolean> {
  if (ck === null) {
    if (state.noble === undefined) throw refusedBySubtle(state, 'verification')
    return state.noble.verify(signature, data)
  }
  return subtle.verify(state.algorithm, ck, signature, data)
}

export function sign(p: SignatureParams, key: BackendKey, data: Uint8Array): Uint8Array | Promise<Uint8Array> {
  const k = asWebKey(key)
  const state = signatureState(k, p, 'sign')
  if (state.nobleOnly) return state.noble!.sign(data, fromB64u(k.members.d!))
  // Asynchronous either way (WebCrypto); a refusal is a rejected promise, as before.
  if (state.key !== undefined) return Promise.resolve().then(() => signWithState(state, k, state.key!, data))
  return state.ready!.then((ck) => signWithState(state, k, ck, data))
}

export function verify(p: SignatureParams, key: BackendKey, data: Uint8Array, signature: Uint8Array): boolean | Promise<boolean> {
  const k = asWebKey(key)
  const state = signatureState(k, p, 'verify')
  if (state.nobleOnly) return state.noble!.verify(signature, data)
  const ck = state.key
  if (ck === undefined) return state.ready!.then((imported) => verifyWithState(state, imported, data, signature))
  if (ck === null) {
    // WebCrypto refused this key: noble answers synchronously (or the refusal, as a rejection).
    try {
      return verifyWithState(state, null, data, signature)
    } catch (error) {
      return Promise.reject(error)
    }
  }
  return subtle.verify(state.algorithm, ck, signature, data)
}

// ---- encryption ----------------------------------------------------------------------------

export function aesGcmEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): { ciphertext: Uint8Array; tag: Uint8Array } {
  const sealed = gcm(key, iv, aad).encrypt(plaintext)
  return { ciphertext: sealed.subarray(0, sealed.length - 16), tag: sealed.subarray(sealed.length - 16) }
}

export function aesGcmDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Uint8Array {
  const sealed = new Uint8Array(ciphertext.length + tag.length)
  sealed.set(ciphertext)
  sealed.set(tag, ciphertext.length)
  return gcm(key, iv, aad).decrypt(sealed)
}

export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return cbc(key, iv).encrypt(plaintext)
}

export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  return cbc(key, iv).decrypt(ciphertext)
}

export function aesCtrDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  return ctr(key, iv).decrypt(ciphertext)
}

export function aesCbcDecryptUnpadded(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  return cbc(key, iv, { disablePadding: true }).decrypt(ciphertext)
}

export function bcryptPbkdf(_passphrase: Uint8Array, _salt: Uint8Array, _rounds: number, _keyLength: number): Uint8Array {
  throw unsupported('bcrypt_pbkdf (the OpenSSH passphrase KDF): passphrase-protected OpenSSH private keys open on Node; unencrypted ones open everywhere')
}

export function aesKwWrap(kek: Uint8Array, keyData: Uint8Array): Uint8Array {
  return aeskw(kek).encrypt(keyData)
}

export function aesKwUnwrap(kek: Uint8Array, wrapped: Uint8Array): Uint8Array {
  return aeskw(kek).decrypt(wrapped)
}

const OAEP_HASH = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' } as const

function oaepKey(key: WebKey, hash: keyof typeof OAEP_HASH, usage: 'encrypt' | 'decrypt'): Promise<webcrypto.CryptoKey | null> {
  const tag = `RSA-OAEP/${hash}/${usage}`
  let found = key.subtleKeys.get(tag)
  if (found === undefined) {
    found = subtle.importKey('jwk', { ...key.members } as webcrypto.JsonWebKey, { name: 'RSA-OAEP', hash: OAEP_HASH[hash] }, false, [usage]).catch(() => null)
    key.subtleKeys.set(tag, found)
  }
  return found
}

export async function rsaOaepEncrypt(hash: keyof typeof OAEP_HASH, key: BackendKey, data: Uint8Array): Promise<Uint8Array> {
  const ck = await oaepKey(asWebKey(key), hash, 'encrypt')
  if (ck === null) throw unsupported(`RSA-OAEP with ${OAEP_HASH[hash]} in WebCrypto`)
  return new Uint8Array(await subtle.encrypt({ name: 'RSA-OAEP' }, ck, data))
}

export async function rsaOaepDecrypt(hash: keyof typeof OAEP_HASH, key: BackendKey, data: Uint8Array): Promise<Uint8Array> {
  const ck = await oaepKey(asWebKey(key), hash, 'decrypt')
  if (ck === null) throw unsupported(`RSA-OAEP with ${OAEP_HASH[hash]} in WebCrypto`)
  return new Uint8Array(await subtle.decrypt({ name: 'RSA-OAEP' }, ck, data))
}

/** ECDH shared secret Z (RFC 7518 §4.6.2: the x-coordinate; RFC 7748 for X25519/X448). Throws on a refused point. */
export function ecdh(privateKey: BackendKey, publicKey: BackendKey): Uint8Array {
  const priv = asWebKey(privateKey)
  const pub = asWebKey(publicKey)
  const crv = priv.members.crv!
  if (priv.members.kty === 'EC') {
    const impl = WEIERSTRASS[crv as keyof typeof WEIERSTRASS]
    const size = scalarBytes(crv as keyof typeof WEIERSTRASS)
    const point = new Uint8Array(1 + 2 * size)
    point[0] = 4
    point.set(fromB64u(pub.members.x!), 1)
    point.set(fromB64u(pub.members.y!), 1 + size)
    return impl.getSharedSecret(fromB64u(priv.members.d!), point, true).subarray(1)
  }
  const impl = MONTGOMERY[crv as keyof typeof MONTGOMERY]
  if (impl === undefined) throw unsupported(`ECDH on ${crv}`)
  return impl.getSharedSecret(fromB64u(priv.members.d!), fromB64u(pub.members.x!))
}
