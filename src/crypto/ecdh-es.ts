/**
 * @module crypto/ecdh-es
 * The key agreement of ECDH-ES (RFC 7518 §4.6) on P-256/P-384/P-521 and, per RFC 8037 §3.2,
 * X25519/X448: ephemeral key generation, the shared secret Z, and the Concat KDF (§4.6.2).
 * The sender's `epk` must be a valid public key of the recipient key's very type and curve before
 * any derivation (invalid-curve attacks; jwkit's EC rules check the point is on its curve, and
 * node:crypto refuses off-curve points and the all-zero X25519/X448 output as well).
 */
import { digest, ecdh, exportJwkMembers, generateKeyPairSync, importJwkMembers, publicKeyOf } from '#backend'
import type { BackendKey, KeyPairSpec } from '../backend/types.ts'
import { latin1Encode } from '#codec'
import { concatBytes, uint32BE } from '../util/bytes.ts'
import { JwkitError } from '../errors.ts'
import { parseJwk } from '../jwk/parse.ts'
import type { Jwk } from '../jwk/types.ts'
import { decryptionFailed } from './content-encryption.ts'
import { JWK_EXPORT } from '../util/dict.ts'

const NODE_CURVES: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }

/** The ECDH curve of a recipient key: P-256/P-384/P-521 (RFC 7518 §4.6) or X25519/X448 (RFC 8037 §3.2). */
function ecdhCurveOf(key: BackendKey, alg: string): { kty: 'EC' | 'OKP'; crv: string } {
  const type = key.asymmetricKeyType
  if (type === 'ec') {
    const crv = NODE_CURVES[key.asymmetricKeyDetails?.namedCurve ?? '']
    if (crv !== undefined) return { kty: 'EC', crv }
  }
  if (type === 'x25519') return { kty: 'OKP', crv: 'X25519' }
  if (type === 'x448') return { kty: 'OKP', crv: 'X448' }
  throw new JwkitError('ERR_ALG_NOT_ALLOWED', `${alg} needs a P-256, P-384, P-521, X25519 or X448 key`)
}

/** A fresh ephemeral key pair on the recipient's curve: Z and the public `epk` (RFC 7518 §4.6.1.1). */
export function ecdhEphemeral(recipient: BackendKey, alg: string): { z: Uint8Array; epk: Record<string, unknown> } {
  const curve = ecdhCurveOf(recipient, alg)
  const ephemeral = generateKeyPairSync((curve.kty === 'EC' ? { kind: 'ec', crv: curve.crv } : { kind: 'okp', crv: curve.crv }) as Exclude<KeyPairSpec, { kind: 'rsa' }>)
  const z = ecdh(ephemeral, publicKeyOf(recipient))
  const full = exportJwkMembers(publicKeyOf(ephemeral))
  // RFC 7518 §4.6.1.1: epk holds only the public key members.
  const epk = curve.kty === 'EC' ? { kty: 'EC', crv: curve.crv, x: full.x, y: full.y } : { kty: 'OKP', crv: curve.crv, x: full.x }
  return { z, epk }
}

/**
 * The ECDH shared secret Z of the recipient's private `key` and the sender's `epk` (RFC 7518
 * §4.6.2, RFC 8037 §3.2). A bad `epk` is `ERR_JWE_INVALID`; a derivation node:crypto refuses
 * (X25519/X448 low-order points give an all-zero Z, which OpenSSL rejects) is
 * `ERR_JWE_DECRYPTION_FAILED`.
 */
export function ecdhSharedSecret(key: BackendKey, epk: unknown, alg: string = 'ECDH-ES'): Uint8Array {
  const curve = ecdhCurveOf(key, alg)
  if (key.type !== 'private') throw new JwkitError('ERR_KEY_USAGE_FORBIDDEN', `${alg} decryption needs the recipient's private key`)
  const publicKey = importEpk(epk, curve)
  let z: Uint8Array
  try {
    z = ecdh(key, publicKey)
  } catch {
    throw decryptionFailed()
  }
  // RFC 7748 §6.1: an all-zero X25519/X448 output means a low-order point (checked again here;
  // for P-256/384/521 an x-coordinate of zero is a legitimate shared secret).
  if (curve.kty === 'OKP' && z.every((b) => b === 0)) throw decryptionFailed()
  return z
}

/**
 * Imports the sender's ephemeral public key. It must be a valid public JWK (parseJwk checks an
 * EC point is on its curve) of the recipient key's very type and curve (invalid-curve attacks).
 */
function importEpk(epk: unknown, curve: { kty: 'EC' | 'OKP'; crv: string }): BackendKey {
  if (epk === undefined) throw new JwkitError('ERR_JWE_INVALID', 'JWE header member epk is required for ECDH-ES')
  let jwk: Jwk
  try {
    jwk = parseJwk(epk as object, { requirePublic: true })
  } catch (cause) {
    throw new JwkitError('ERR_JWE_INVALID', 'JWE header member epk is not a valid public JWK', { cause })
  }
  // RFC 7518 §4.6.1.1: epk is a key on the same curve as the recipient's key.
  if (jwk.kty !== curve.kty || (jwk as { crv?: unknown }).crv !== curve.crv) {
    throw new JwkitError('ERR_JWE_INVALID', `JWE header member epk must be an ${curve.kty} ${curve.crv} key, like the recipient's key`)
  }
  const members = curve.kty === 'EC'
    ? { kty: 'EC', crv: curve.crv, x: (jwk as { x: string }).x, y: (jwk as { y: string }).y }
    : { kty: 'OKP', crv: curve.crv, x: (jwk as { x: string }).x }
  try {
    return importJwkMembers(members, 'public')
  } catch (cause) {
    throw new JwkitError('ERR_JWE_INVALID', 'JWE header member epk cannot be imported', { cause })
  }
}

/**
 * The Concat KDF of NIST SP 800-56A §5.8.1 as RFC 7518 §4.6.2 uses it: SHA-256, OtherInfo =
 * AlgorithmID ‖ PartyUInfo ‖ PartyVInfo ‖ SuppPubInfo, each datalen-prefixed, keydatalen in bits.
 */
export function concatKdf(z: Uint8Array, keyBytes: number, algorithmId: string, apu?: Uint8Array, apv?: Uint8Array): Uint8Array {
  const prefixed = (data: Uint8Array) => concatBytes(uint32BE(data.length), data)
  const otherInfo = concatBytes(
    prefixed(latin1Encode(algorithmId)),
    prefixed(apu ?? new Uint8Array(0)),
    prefixed(apv ?? new Uint8Array(0)),
    uint32BE(keyBytes * 8),
  )
  const rounds = Math.ceil(keyBytes / 32)
  const out: Uint8Array[] = []
  for (let i = 1; i <= rounds; i++) out.push(digest('sha256', concatBytes(uint32BE(i), z, otherInfo)))
  return concatBytes(...out).subarray(0, keyBytes)
}
