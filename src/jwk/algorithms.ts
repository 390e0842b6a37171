/**
 * @module jwk/algorithms
 * The JWA tables: which key each algorithm needs. JWS algorithms from RFC 7518 §3, RFC 8037 §3.1
 * (EdDSA), RFC 8812 §3.2 (ES256K), RFC 9864 (Ed25519, Ed448) and draft-ietf-cose-dilithium
 * (ML-DSA-44/65/87); JWE algorithms from RFC 7518 §4 (alg) and §5 (enc), so that an `alg` on
 * any key can be checked against it.
 */
import { fromBase64url } from '#codec'
import type { HashName, Jwk, KeyType } from './types.ts'
import { dict, ownMember } from '../util/dict.ts'

export type JwsFamily = 'HMAC' | 'RSA-PKCS1' | 'RSA-PSS' | 'ECDSA' | 'EdDSA' | 'ML-DSA'
export type JweFamily =
  | 'AES-KW' | 'AES-GCM-KW' | 'AES-GCM' | 'AES-CBC-HS' | 'dir' | 'RSA-OAEP' | 'RSA1_5' | 'ECDH-ES' | 'PBES2'

/** A JWS ("sig") algorithm and the key it needs. */
export interface JwsAlgorithmInfo {
  readonly alg: string
  readonly kty: KeyType
  /** The curves (EC/OKP `crv`) it accepts. */
  readonly crv?: readonly string[]
  readonly hash?: HashName
  readonly family: JwsFamily
  /** HMAC: the least `k` length in bytes, the hash output length (RFC 7518 §3.2). */
  readonly minKeyBytes?: number
  /** ECDSA: the R‖S signature length (RFC 7518 §3.4); ML-DSA: the signature length. */
  readonly signatureBytes?: number
}

/** A JWE ("enc") key management or content encryption algorithm and the key it needs. */
export interface JweAlgorithmInfo {
  readonly alg: string
  readonly kty: readonly KeyType[]
  readonly crv?: readonly string[]
  readonly family: JweFamily
  /** oct keys: the exact `k` length in bytes. */
  readonly keyBytes?: number
  /** True for `enc` (content encryption) values, false for `alg` (key management) values. */
  readonly content: boolean
}

const ED = ['Ed25519', 'Ed448'] as const

/** A table entry without a prototype: an optional field it lacks (`crv`, `hash`, ...) reads as absent even when Object.prototype has one. */
const entry = <T extends object>(fields: T): T => dict(fields as Record<string, unknown>) as unknown as T

function jws(alg: string, kty: KeyType, family: JwsFamily, extra: Partial<JwsAlgorithmInfo> = {}): [string, JwsAlgorithmInfo] {
  return [alg, entry({ alg, kty, family, ...extra })]
}

const JWS: ReadonlyMap<string, JwsAlgorithmInfo> = new Map([
  // RFC 7518 §3.2: a key of the same size as the hash output or larger.
  jws('HS256', 'oct', 'HMAC', { hash: 'sha256', minKeyBytes: 32 }),
  jws('HS384', 'oct', 'HMAC', { hash: 'sha384', minKeyBytes: 48 }),
  jws('HS512', 'oct', 'HMAC', { hash: 'sha512', minKeyBytes: 64 }),
  // RFC 7518 §3.3, §3.5
  jws('RS256', 'RSA', 'RSA-PKCS1', { hash: 'sha256' }),
  jws('RS384', 'RSA', 'RSA-PKCS1', { hash: 'sha384' }),
  jws('RS512', 'RSA', 'RSA-PKCS1', { hash: 'sha512' }),
  jws('PS256', 'RSA', 'RSA-PSS', { hash: 'sha256' }),
  jws('PS384', 'RSA', 'RSA-PSS', { hash: 'sha384' }),
  jws('PS512', 'RSA', 'RSA-PSS', { hash: 'sha512' }),
  // RFC 7518 §3.4: each ES* names exactly one curve.
  jws('ES256', 'EC', 'ECDSA', { crv: ['P-256'], hash: 'sha256', signatureBytes: 64 }),
  jws('ES384', 'EC', 'ECDSA', { crv: ['P-384'], hash: 'sha384', signatureBytes: 96 }),
  jws('ES512', 'EC', 'ECDSA', { crv: ['P-521'], hash: 'sha512', signatureBytes: 132 }),
  // RFC 8812 §3.2
  jws('ES256K', 'EC', 'ECDSA', { crv: ['secp256k1'], hash: 'sha256', signatureBytes: 64 }),
  // RFC 8037 §3.1 (EdDSA, either Edwards curve); RFC 9864 §2.2 (fully specified)
  jws('EdDSA', 'OKP', 'EdDSA', { crv: ED }),
  jws('Ed25519', 'OKP', 'EdDSA', { crv: ['Ed25519'], signatureBytes: 64 }),
  jws('Ed448', 'OKP', 'EdDSA', { crv: ['Ed448'], signatureBytes: 114 }),
  // draft-ietf-cose-dilithium: the AKP key's own `alg` fixes the parameter set.
  jws('ML-DSA-44', 'AKP', 'ML-DSA', { signatureBytes: 2420 }),
  jws('ML-DSA-65', 'AKP', 'ML-DSA', { signatureBytes: 3309 }),
  jws('ML-DSA-87', 'AKP', 'ML-DSA', { signatureBytes: 4627 }),
])

function jwe(alg: string, kty: KeyType[], family: JweFamily, content: boolean, extra: Partial<JweAlgorithmInfo> = {}): [string, JweAlgorithmInfo] {
  return [alg, entry({ alg, kty, family, content, ...extra })]
}

const ECDH_CURVES = ['P-256', 'P-384', 'P-521', 'X25519', 'X448'] as const

const JWE: ReadonlyMap<string, JweAlgorithmInfo> = new Map([
  // RFC 7518 §4.2, §4.3
  jwe('RSA1_5', ['RSA'], 'RSA1_5', false),
  jwe('RSA-OAEP', ['RSA'], 'RSA-OAEP', false),
  jwe('RSA-OAEP-256', ['RSA'], 'RSA-OAEP', false),
  jwe('RSA-OAEP-384', ['RSA'], 'RSA-OAEP', false),
  jwe('RSA-OAEP-512', ['RSA'], 'RSA-OAEP', false),
  // RFC 7518 §4.4: the AES key-wrap key is exactly 128/192/256 bits.
  jwe('A128KW', ['oct'], 'AES-KW', false, { keyBytes: 16 }),
  jwe('A192KW', ['oct'], 'AES-KW', false, { keyBytes: 24 }),
  jwe('A256KW', ['oct'], 'AES-KW', false, { keyBytes: 32 }),
  // RFC 7518 §4.5: direct use of a shared symmetric key, any length the enc needs.
  jwe('dir', ['oct'], 'dir', false),
  // RFC 7518 §4.6; RFC 8037 §3.2 (X25519/X448)
  jwe('ECDH-ES', ['EC', 'OKP'], 'ECDH-ES', false, { crv: ECDH_CURVES }),
  jwe('ECDH-ES+A128KW', ['EC', 'OKP'], 'ECDH-ES', false, { crv: ECDH_CURVES }),
  jwe('ECDH-ES+A192KW', ['EC', 'OKP'], 'ECDH-ES', false, { crv: ECDH_CURVES }),
  jwe('ECDH-ES+A256KW', ['EC', 'OKP'], 'ECDH-ES', false, { crv: ECDH_CURVES }),
  // RFC 7518 §4.7
  jwe('A128GCMKW', ['oct'], 'AES-GCM-KW', false, { keyBytes: 16 }),
  jwe('A192GCMKW', ['oct'], 'AES-GCM-KW', false, { keyBytes: 24 }),
  jwe('A256GCMKW', ['oct'], 'AES-GCM-KW', false, { keyBytes: 32 }),
  // RFC 7518 §4.8: the "key" is a password, any non-empty length.
  jwe('PBES2-HS256+A128KW', ['oct'], 'PBES2', false),
  jwe('PBES2-HS384+A192KW', ['oct'], 'PBES2', false),
  jwe('PBES2-HS512+A256KW', ['oct'], 'PBES2', false),
  // RFC 7518 §5.2.3–5.2.5: MAC key ‖ ENC key; §5.3: the GCM key.
  jwe('A128CBC-HS256', ['oct'], 'AES-CBC-HS', true, { keyBytes: 32 }),
  jwe('A192CBC-HS384', ['oct'], 'AES-CBC-HS', true, { keyBytes: 48 }),
  jwe('A256CBC-HS512', ['oct'], 'AES-CBC-HS', true, { keyBytes: 64 }),
  jwe('A128GCM', ['oct'], 'AES-GCM', true, { keyBytes: 16 }),
  jwe('A192GCM', ['oct'], 'AES-GCM', true, { keyBytes: 24 }),
  jwe('A256GCM', ['oct'], 'AES-GCM', true, { keyBytes: 32 }),
])

/** jwkit's own reads: the prototype-free entry (an absent `crv`, `minKeyBytes`, ... reads as absent). */
export function jwsInfo(alg: string): JwsAlgorithmInfo | undefined {
  return typeof alg === 'string' ? JWS.get(alg) : undefined
}

/** jwkit's own reads of the JWE table, as {@link jwsInfo}. */
export function jweInfo(alg: string): JweAlgorithmInfo | undefined {
  return typeof alg === 'string' ? JWE.get(alg) : undefined
}

/** What callers get: frozen plain copies of the entries (nothing they do to one reaches jwkit's table). */
const publicEntries = <T extends object>(table: ReadonlyMap<string, T>): ReadonlyMap<string, T> => new Map([...table].map(([name, info]) => [name, Object.freeze({ ...info })]))
const JWS_PUBLIC = publicEntries(JWS)
const JWE_PUBLIC = publicEntries(JWE)

/** The JWS algorithm `alg`, or undefined for anything else (including `none`). Case-sensitive. */
export function jwsAlgorithm(alg: string): JwsAlgorithmInfo | undefined {
  return typeof alg === 'string' ? JWS_PUBLIC.get(alg) : undefined
}

/** The JWE key management or content encryption algorithm `alg`, or undefined. */
export function jweAlgorithm(alg: string): JweAlgorithmInfo | undefined {
  return typeof alg === 'string' ? JWE_PUBLIC.get(alg) : undefined
}

/** Every JWS algorithm name jwkit knows. */
export const JWS_ALGORITHMS: readonly string[] = [...JWS.keys()]
/** Every JWE `alg` and `enc` name jwkit knows. */
export const JWE_ALGORITHMS: readonly string[] = [...JWE.keys()]

/** The RFC 7517 §4.2 `use` an algorithm belongs to, or undefined when unknown. */
export function algorithmUse(alg: string): 'sig' | 'enc' | undefined {
  return JWS.has(alg) ? 'sig' : JWE.has(alg) ? 'enc' : undefined
}

/** RSA keys below this many bits are weak for every RSA algorithm (RFC 7518 §3.3, §4.2, §4.3). */
export const RSA_MIN_BITS = 2048

/** Why a key does not fit an algorithm: `weak` is a size below the minimum, `mismatch` anything else. */
export interface AlgorithmMisfit {
  readonly kind: 'unknown' | 'mismatch' | 'weak'
  readonly member: string
  readonly message: string
}

/** A short, safe description of an untrusted value for a message (never calls its methods). */
function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.length > 24 ? value.slice(0, 24) + '…' : value) : typeof value
}

/** Decoded length of a base64url string (no validation), or -1 when it is not a string. */
function b64Length(value: unknown): number {
  if (typeof value !== 'string') return -1
  return Math.floor((value.length * 3) / 4)
}

/** Bit length of a base64url big-endian unsigned integer (no validation), or 0. */
export function rsaModulusBits(n: unknown): number {
  if (typeof n !== 'string' || n.length === 0) return 0
  const bytes = fromBase64url(n)
  let i = 0
  while (i < bytes.length && bytes[i] === 0) i++
  if (i === bytes.length) return 0
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!))
}

/**
 * Explains why `jwk` cannot be used with `alg`, or returns undefined when it can. Reads the key
 * without validating it (call it on a parsed key); never throws.
 */
export function algorithmMisfit(jwk: Jwk, alg: string): AlgorithmMisfit | undefined {
  // Own members only: a key without crv (or alg, k, n) must not pick one up from Object.prototype.
  const kty = ownMember(jwk, 'kty')
  const crv = ownMember(jwk, 'crv')
  const sig = jwsInfo(alg)
  if (sig !== undefined) {
    if (kty !== sig.kty) return { kind: 'mismatch', member: 'kty', message: `${alg} needs an ${sig.kty} key, not ${describe(kty)}` }
    if (sig.crv !== undefined && !sig.crv.includes(crv as string)) {
      return { kind: 'mismatch', member: 'crv', message: `${alg} needs curve ${sig.crv.join(' or ')}, not ${describe(crv)}` }
    }
    if (sig.family === 'ML-DSA' && ownMember(jwk, 'alg') !== alg) {
      // draft-ietf-cose-dilithium: the AKP key's parameter set is its `alg`.
      return { kind: 'mismatch', member: 'alg', message: `${alg} needs an AKP key of that parameter set` }
    }
    if (sig.minKeyBytes !== undefined) {
      const len = b64Length(ownMember(jwk, 'k'))
      // RFC 7518 §3.2: "A key of the same size as the hash output ... or larger MUST be used"
      if (len < sig.minKeyBytes) return { kind: 'weak', member: 'k', message: `${alg} needs k of at least ${sig.minKeyBytes} bytes, k has ${Math.max(len, 0)}` }
    }
    if (sig.kty === 'RSA' && rsaModulusBits(ownMember(jwk, 'n')) < RSA_MIN_BITS) {
      // RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used"
      return { kind: 'weak', member: 'n', message: `${alg} needs an RSA modulus of at least ${RSA_MIN_BITS} bits` }
    }
    return undefined
  }
  const enc = jweInfo(alg)
  if (enc === undefined) return { kind: 'unknown', member: 'alg', message: `algorithm ${describe(alg)} is not known` }
  if (!enc.kty.includes(kty as KeyType)) return { kind: 'mismatch', member: 'kty', message: `${alg} needs an ${enc.kty.join(' or ')} key, not ${describe(kty)}` }
  if (enc.crv !== undefined && !enc.crv.includes(crv as string)) {
    return { kind: 'mismatch', member: 'crv', message: `${alg} needs curve ${enc.crv.join(', ')}, not ${describe(crv)}` }
  }
  if (kty === 'oct') {
    const len = b64Length(ownMember(jwk, 'k'))
    // RFC 7518 §4.4, §4.7, §5.2.3–5.2.5, §5.3: exact key sizes.
    if (enc.keyBytes !== undefined && len !== enc.keyBytes) {
      return { kind: 'mismatch', member: 'k', message: `${alg} needs k of exactly ${enc.keyBytes} bytes, k has ${Math.max(len, 0)}` }
    }
    if (len <= 0) return { kind: 'mismatch', member: 'k', message: `${alg} needs a non-empty k` }
  }
  if (kty === 'RSA' && rsaModulusBits(ownMember(jwk, 'n')) < RSA_MIN_BITS) {
    // RFC 7518 §4.2, §4.3: "A key of size 2048 bits or larger MUST be used"
    return { kind: 'weak', member: 'n', message: `${alg} needs an RSA modulus of at least ${RSA_MIN_BITS} bits` }
  }
  return undefined
}

/** True when `jwk` may be used with `alg` (type, curve, size; RFC 7518, 8037, 8812, 9864, AKP). */
export function keyFitsAlgorithm(jwk: Jwk, alg: string): boolean {
  if (typeof jwk !== 'object' || jwk === null || typeof alg !== 'string') return false
  return algorithmMisfit(jwk, alg) === undefined
}

const SIGN_OPS = new Set(['sign', 'verify'])

/**
 * The JWS algorithms this key may sign or verify with: its own `alg` when it has one (and that
 * is a JWS algorithm it fits), otherwise every algorithm its type and curve permit. Never HMAC
 * for an asymmetric key; nothing for a key marked `use: "enc"` or whose `key_ops` hold no
 * sign/verify operation.
 */
export function signatureAlgorithmsForKey(jwk: Jwk): string[] {
  if (typeof jwk !== 'object' || jwk === null) return []
  const use = ownMember(jwk, 'use')
  const ops = ownMember(jwk, 'key_ops')
  const alg = ownMember(jwk, 'alg')
  if (use !== undefined && use !== 'sig') return []
  if (Array.isArray(ops) && !ops.some((op) => SIGN_OPS.has(op))) return []
  if (typeof alg === 'string') {
    return JWS.has(alg) && keyFitsAlgorithm(jwk, alg) ? [alg] : []
  }
  const out: string[] = []
  for (const info of JWS.values()) if (keyFitsAlgorithm(jwk, info.alg)) out.push(info.alg)
  return out
}
