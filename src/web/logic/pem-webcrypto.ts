/**
 * @module web/logic/pem-webcrypto
 * PEM SPKI and PKCS#8 for the workbench's conversions when jwkit's synchronous toPem cannot write
 * them in this runtime (the browser backend has no synchronous DER key writer: WebCrypto's
 * exportKey is asynchronous). The browser's own WebCrypto encodes the key (RFC 5280 §4.1
 * SubjectPublicKeyInfo, RFC 5208 PKCS#8), jwkit's encodePem armours it (RFC 7468). Only the key
 * types WebCrypto holds: RSA, EC P-256/384/521, Ed25519 and X25519; others stay unavailable with
 * their reason. Only the members that make the key are imported (no alg/use/key_ops), so the
 * import never refuses a key for its metadata; RSA keys are written as rsaEncryption.
 */
import { encodePem, type Jwk } from './jwkit.ts'
import type { Conversion, KeyReport } from './analyze.ts'

/** The part of SubtleCrypto this module uses (the browser's crypto.subtle, or Node's in tests). */
export interface SubtleLike {
  importKey(format: 'jwk', key: object, algorithm: object, extractable: boolean, usages: string[]): Promise<unknown>
  exportKey(format: 'spki' | 'pkcs8', key: unknown): Promise<ArrayBuffer>
}

const KEY_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'],
  EC: ['crv', 'x', 'y', 'd'],
  OKP: ['crv', 'x', 'd'],
}

/** The WebCrypto algorithm and usages that import this key, or undefined when WebCrypto has none for it. */
function algorithmOf(jwk: Jwk, priv: boolean): { algorithm: object; usages: string[] } | undefined {
  const crv = (jwk as { crv?: string }).crv
  if (jwk.kty === 'RSA') return { algorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, usages: [priv ? 'sign' : 'verify'] }
  if (jwk.kty === 'EC' && (crv === 'P-256' || crv === 'P-384' || crv === 'P-521')) return { algorithm: { name: 'ECDSA', namedCurve: crv }, usages: [priv ? 'sign' : 'verify'] }
  if (jwk.kty === 'OKP' && crv === 'Ed25519') return { algorithm: { name: 'Ed25519' }, usages: [priv ? 'sign' : 'verify'] }
  if (jwk.kty === 'OKP' && crv === 'X25519') return { algorithm: { name: 'X25519' }, usages: priv ? ['deriveBits'] : [] }
  return undefined
}

/** The key members only (public ones when `priv` is false). */
function membersOf(jwk: Jwk, priv: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { kty: jwk.kty }
  const source = jwk as unknown as Record<string, unknown>
  for (const m of KEY_MEMBERS[jwk.kty] ?? []) {
    if (!priv && (m === 'd' || m === 'p' || m === 'q' || m === 'dp' || m === 'dq' || m === 'qi')) continue
    if (source[m] !== undefined) out[m] = source[m]
  }
  return out
}

/** One conversion written by WebCrypto, or undefined when it cannot write it. */
export async function pemByWebCrypto(jwk: Jwk, format: 'spki' | 'pkcs8', subtle: SubtleLike): Promise<string | undefined> {
  const priv = format === 'pkcs8'
  if (priv && (jwk as { d?: unknown }).d === undefined) return undefined
  const how = algorithmOf(jwk, priv)
  if (how === undefined) return undefined
  try {
    const key = await subtle.importKey('jwk', membersOf(jwk, priv), how.algorithm, true, how.usages)
    const der = new Uint8Array(await subtle.exportKey(format, key))
    return encodePem(priv ? 'PRIVATE KEY' : 'PUBLIC KEY', der)
  } catch {
    return undefined // this browser's WebCrypto lacks the algorithm (e.g. X25519 in an older one)
  }
}

/** True for a conversion left out only because this runtime cannot write it synchronously. */
const writableLater = (c: Conversion) => (c.id === 'spki' || c.id === 'pkcs8') && c.text === undefined && /synchronous/.test(c.unavailable ?? '')

/**
 * The key reports with the SPKI and PKCS#8 conversions that toPem left unavailable for want of a
 * synchronous writer filled in by WebCrypto; the same array when there is nothing to fill.
 */
export async function completeConversions(keys: readonly KeyReport[], subtle: SubtleLike): Promise<readonly KeyReport[]> {
  if (!keys.some((k) => k.jwk !== undefined && k.conversions.some(writableLater))) return keys
  return Promise.all(keys.map(async (k) => {
    if (k.jwk === undefined || !k.conversions.some(writableLater)) return k
    const conversions = await Promise.all(k.conversions.map(async (c): Promise<Conversion> => {
      if (!writableLater(c)) return c
      const text = await pemByWebCrypto(k.jwk!, c.id as 'spki' | 'pkcs8', subtle)
      return text === undefined ? c : { id: c.id, label: c.label, filename: c.filename, text }
    }))
    return { ...k, conversions }
  }))
}
