/**
 * @module crypto/crypto-key
 * JWK → WebCrypto `CryptoKey` for one JWA algorithm (RFC 7518 §3–§5, RFC 8037 §3, RFC 9864 §2),
 * through `crypto.webcrypto.subtle.importKey('jwk', …)`: Node 20 has no `KeyObject.toCryptoKey`.
 * The JWK passes jwkit's rules first; WebCrypto then sees only the key members, so its own
 * `alg`/`use` checks (which differ between Node versions) never decide for us.
 */
import type { webcrypto } from 'node:crypto'
import { JwkitError } from '../errors.ts'
import { keyFitsAlgorithm } from '../jwk/algorithms.ts'
import { parseJwk } from '../jwk/parse.ts'
import type { Jwk } from '../jwk/types.ts'
import { decodeBase64url } from '../util/base64url.ts'
import { MEMBER_ORDER } from './export.ts'
import { ownOptions } from '../util/dict.ts'
import type { CryptoKeyLike, CryptoKeyUsage } from '../backend/types.ts'

type Usage = CryptoKeyUsage
type ImportParams = webcrypto.AlgorithmIdentifier | webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | webcrypto.HmacImportParams

interface WebAlgorithm {
  params: (jwk: Jwk) => ImportParams
  /** Usages of [public, private-or-secret]. */
  usages: readonly [readonly Usage[], readonly Usage[]]
  /** oct: exact key bytes, or (negative) the minimum. */
  octBytes?: number
}

const SHA = (bits: string) => `SHA-${bits}`
const sig: WebAlgorithm['usages'] = [['verify'], ['sign']]
const kem: WebAlgorithm['usages'] = [['encrypt', 'wrapKey'], ['decrypt', 'unwrapKey']]
const ecdh: WebAlgorithm['usages'] = [[], ['deriveBits', 'deriveKey']]
const curveOf = (jwk: Jwk) => ('crv' in jwk ? String(jwk.crv) : '')

function table(): Map<string, WebAlgorithm> {
  const m = new Map<string, WebAlgorithm>()
  for (const bits of ['256', '384', '512']) {
    m.set(`RS${bits}`, { params: () => ({ name: 'RSASSA-PKCS1-v1_5', hash: SHA(bits) }), usages: sig }) // RFC 7518 §3.3
    m.set(`PS${bits}`, { params: () => ({ name: 'RSA-PSS', hash: SHA(bits) }), usages: sig }) // RFC 7518 §3.5
    m.set(`HS${bits}`, { params: () => ({ name: 'HMAC', hash: SHA(bits) }), usages: [['sign', 'verify'], ['sign', 'verify']], octBytes: -Number(bits) / 8 }) // RFC 7518 §3.2
    m.set(`RSA-OAEP-${bits}`, { params: () => ({ name: 'RSA-OAEP', hash: SHA(bits) }), usages: kem }) // RFC 7518 §4.3
  }
  m.set('RSA-OAEP', { params: () => ({ name: 'RSA-OAEP', hash: 'SHA-1' }), usages: kem })
  for (const [alg, crv] of [['ES256', 'P-256'], ['ES384', 'P-384'], ['ES512', 'P-521']] as const) {
    m.set(alg, { params: () => ({ name: 'ECDSA', namedCurve: crv }), usages: sig }) // RFC 7518 §3.4
  }
  m.set('EdDSA', { params: (jwk) => ({ name: curveOf(jwk) }), usages: sig }) // RFC 8037 §3.1
  m.set('Ed25519', { params: () => ({ name: 'Ed25519' }), usages: sig }) // RFC 9864 §2.2
  m.set('Ed448', { params: () => ({ name: 'Ed448' }), usages: sig })
  for (const bytes of [16, 24, 32]) {
    const bits = bytes * 8
    m.set(`A${bits}GCM`, { params: () => ({ name: 'AES-GCM' }), usages: [[], ['encrypt', 'decrypt']], octBytes: bytes }) // RFC 7518 §5.3
    m.set(`A${bits}KW`, { params: () => ({ name: 'AES-KW' }), usages: [[], ['wrapKey', 'unwrapKey']], octBytes: bytes }) // RFC 7518 §4.4
    m.set(`A${bits}GCMKW`, { params: () => ({ name: 'AES-GCM' }), usages: [[], ['wrapKey', 'unwrapKey', 'encrypt', 'decrypt']], octBytes: bytes }) // RFC 7518 §4.7
  }
  const ecdhParams = (jwk: Jwk): ImportParams => (jwk.kty === 'EC' ? { name: 'ECDH', namedCurve: curveOf(jwk) } : { name: curveOf(jwk) })
  for (const alg of ['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW']) m.set(alg, { params: ecdhParams, usages: ecdh }) // RFC 7518 §4.6
  return m
}

let algorithms: Map<string, WebAlgorithm> | undefined

export interface JwkToCryptoKeyOptions {
  /** WebCrypto extractable flag (default false). */
  extractable?: boolean
  /** Key usages; default: every usage the algorithm allows for this key, narrowed by `key_ops`. */
  usages?: Usage[]
}

/**
 * Parses and checks a JWK, then imports it as a WebCrypto CryptoKey for one JWA algorithm
 * (`RS256`, `PS384`, `ES256`, `EdDSA`, `Ed25519`, `Ed448`, `HS256`, `A256GCM`, `A128KW`,
 * `RSA-OAEP-256`, `ECDH-ES`, …). ES256K and the AES-CBC-HMAC composites have no WebCrypto
 * form (`ERR_JWK_UNSUPPORTED`); a key that does not fit `alg` is `ERR_ALG_NOT_ALLOWED`.
 */
export async function jwkToCryptoKey(jwk: Jwk | string | object, alg: string, options: JwkToCryptoKeyOptions = {}): Promise<CryptoKeyLike> {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  if (typeof alg !== 'string') throw new TypeError('jwkToCryptoKey: alg must be a string')
  const parsed = parseJwk(jwk as Jwk)
  const web = (algorithms ??= table()).get(alg)
  if (web === undefined) throw new JwkitError('ERR_JWK_UNSUPPORTED', `alg ${JSON.stringify(alg)} has no WebCrypto CryptoKey form`, { path: '/alg' })
  if (parsed.alg !== undefined && parsed.alg !== alg) {
    // RFC 7517 §4.4: a key with "alg" is for that algorithm only.
    throw new JwkitError('ERR_ALG_NOT_ALLOWED', `the key's alg ${JSON.stringify(parsed.alg)} is not ${JSON.stringify(alg)}`, { path: '/alg' })
  }
  if (!keyFitsAlgorithm(parsed, alg)) {
    throw new JwkitError('ERR_ALG_NOT_ALLOWED', `${parsed.kty} key does not fit alg ${JSON.stringify(alg)}`, { path: '/alg' })
  }
  if (parsed.kty === 'oct' && web.octBytes !== undefined) {
    const size = decodeBase64url(parsed.k)?.length ?? 0
    const ok = web.octBytes > 0 ? size === web.octBytes : size >= -web.octBytes
    if (!ok) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `oct key: member k is ${size} bytes, ${alg} needs ${web.octBytes > 0 ? '' : 'at least '}${Math.abs(web.octBytes)}`, { path: '/k' })
  }
  const isPrivate = parsed.kty === 'oct' || typeof (parsed as { d?: unknown }).d === 'string'
  // RFC 7517 §4.3: key_ops restricts what the key may be used for.
  const keyOps = parsed.key_ops
  const usages = (options.usages ?? [...web.usages[isPrivate ? 1 : 0]]).filter((u) => keyOps === undefined || keyOps.includes(u))
  const webJwk: webcrypto.JsonWebKey = { kty: parsed.kty }
  for (const name of MEMBER_ORDER[parsed.kty] ?? []) {
    const value = (parsed as Record<string, unknown>)[name]
    if (typeof value === 'string') (webJwk as Record<string, unknown>)[name] = value
  }
  try {
    return await (globalThis as unknown as { crypto: webcrypto.Crypto }).crypto.subtle.importKey('jwk', webJwk, web.params(parsed), options.extractable === true, usages)
  } catch (cause) {
    throw new JwkitError('ERR_KEY_IMPORT_FAILED', `WebCrypto refused the ${parsed.kty} key for ${alg}`, { cause })
  }
}
