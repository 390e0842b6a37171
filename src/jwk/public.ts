/**
 * @module jwk/public
 * The public form of a JWK (RFC 7517 §4, RFC 7518 §6.2.1 / §6.3.1, RFC 8037 §2, AKP draft):
 * built from an allowlist, never by deleting private members.
 */
import { dict, readOwn } from '../util/dict.ts'
import { JwkitError } from '../errors.ts'
import { KEY_TYPES, PRIVATE_KEY_MEMBERS, PUBLIC_KEY_MEMBERS, PUBLIC_METADATA_MEMBERS } from './members.ts'
import type { Jwk } from './types.ts'

/** RFC 7517 §4.3: the public counterpart of each private operation. */
const PUBLIC_OP: Readonly<Record<string, string>> = dict({
  sign: 'verify', verify: 'verify',
  decrypt: 'encrypt', encrypt: 'encrypt',
  unwrapKey: 'wrapKey', wrapKey: 'wrapKey',
})

/**
 * The public key of `jwk`, as a new object holding ONLY registered public members, in the
 * input's member order: the kty's public key members (RSA n, e; EC crv, x, y; OKP crv, x;
 * AKP pub) and the RFC 7517 metadata kty, use, alg, kid, x5u, x5c, x5t, x5t#S256, ext.
 * Members the RFCs do not register are NOT copied (an allowlist cannot know they are public).
 *
 * `key_ops` is mapped to what the public key can do: sign → verify, decrypt → encrypt,
 * unwrapKey → wrapKey (verify, encrypt, wrapKey kept); deriveKey, deriveBits and unregistered
 * operations are dropped, as WebCrypto gives a public ECDH key no usages. When nothing remains,
 * `key_ops` is omitted.
 *
 * Works on a public key too (idempotent). An `oct` key has no public form: `ERR_JWK_NO_PUBLIC_FORM`.
 * It does not validate the key; parse it first ({@link parseJwk}).
 */
export function toPublicJwk(jwk: Jwk): Jwk {
  if (typeof jwk !== 'object' || jwk === null) throw new TypeError('toPublicJwk: jwk must be an object')
  const src = readOwn(jwk, 'ERR_JWK_INVALID', 'JWK: the key object')
  const kty = src.kty
  if (typeof kty !== 'string' || !KEY_TYPES.has(kty)) {
    throw new JwkitError('ERR_JWK_UNSUPPORTED', `JWK: key type ${typeof kty === 'string' ? JSON.stringify(kty.slice(0, 20)) : typeof kty} is not supported`, { path: '/kty' })
  }
  // RFC 7517 §4 / RFC 7518 §6.4: a symmetric key is secret in its entirety.
  if (kty === 'oct') throw new JwkitError('ERR_JWK_NO_PUBLIC_FORM', 'oct key: a symmetric key has no public form', { path: '/kty' })
  const keyMembers = PUBLIC_KEY_MEMBERS[kty]!
  const out: Record<string, unknown> = {}
  for (const name of Object.keys(src)) {
    if (name === 'key_ops') {
      const ops = publicOps(src.key_ops)
      if (ops.length > 0) out.key_ops = ops
    } else if (name === 'x5c') {
      out.x5c = Array.isArray(src.x5c) ? [...src.x5c] : src.x5c
    } else if (keyMembers.includes(name) || PUBLIC_METADATA_MEMBERS.has(name)) {
      out[name] = src[name]
    }
  }
  return out as unknown as Jwk
}

function publicOps(value: unknown): string[] {
  if (!Array.isArray(value)) return []
  const ops: string[] = []
  for (const op of value) {
    const mapped = typeof op === 'string' ? PUBLIC_OP[op] : undefined
    if (mapped !== undefined && !ops.includes(mapped)) ops.push(mapped)
  }
  return ops
}

/** True when `jwk` holds any private (or secret) member of its kty; every `oct` key with `k` is. */
export function isPrivateJwk(jwk: Jwk): boolean {
  if (typeof jwk !== 'object' || jwk === null) return false
  const own = readOwn(jwk, 'ERR_JWK_INVALID', 'JWK: the key object')
  const kty = own.kty
  const members = typeof kty === 'string' ? PRIVATE_KEY_MEMBERS[kty] : undefined
  if (members === undefined) return false
  return members.some((m) => own[m] !== undefined)
}
