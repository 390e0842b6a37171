/**
 * @module jwk/rules-symmetric-akp
 * Rules for `kty: "oct"` keys (RFC 7518 §6.4) and `kty: "AKP"` keys (draft-ietf-cose-dilithium,
 * ML-DSA of FIPS 204).
 */
import { dict } from '../util/dict.ts'
import { equalBytes } from '../util/bytes.ts'
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js'
import { fail, readBase64url, type CheckContext } from './check-context.ts'

/** Checks an oct key: `k` present, canonical and not empty (RFC 7518 §6.4.1). */
export function checkOctKey(ctx: CheckContext): boolean {
  const k = readBase64url(ctx, 'k', true, 'oct key')
  if (k === undefined) return false
  // RFC 7518 §6.4.1: k holds the key value; an empty key protects nothing.
  if (k.length === 0) {
    fail(ctx, 'ERR_JWK_INVALID', 'k', 'oct key: member k is empty')
    return false
  }
  return true
}

interface AkpParams {
  /** FIPS 204 Table 2 public key size. */
  readonly pubBytes: number
  readonly keygen: (seed: Uint8Array) => { publicKey: Uint8Array }
}

const AKP: Readonly<Record<string, AkpParams>> = dict({
  'ML-DSA-44': { pubBytes: 1312, keygen: (s) => ml_dsa44.keygen(s) },
  'ML-DSA-65': { pubBytes: 1952, keygen: (s) => ml_dsa65.keygen(s) },
  'ML-DSA-87': { pubBytes: 2592, keygen: (s) => ml_dsa87.keygen(s) },
})

/** The ML-DSA seed length: draft-ietf-cose-dilithium uses the 32-byte seed ξ as `priv`. */
export const AKP_SEED_BYTES = 32

/** Public key length of an AKP parameter set, or undefined. */
export function akpPublicBytes(alg: unknown): number | undefined {
  return typeof alg === 'string' ? AKP[alg]?.pubBytes : undefined
}

/** Derives the ML-DSA public key from a 32-byte seed (FIPS 204 Algorithm 6 ML-DSA.KeyGen_internal). */
export function akpPublicFromSeed(alg: string, seed: Uint8Array): Uint8Array | undefined {
  const params = AKP[alg]
  return params === undefined ? undefined : params.keygen(seed).publicKey
}

/** Checks an AKP key; returns true when its public member is well-formed. */
export function checkAkpKey(ctx: CheckContext): boolean {
  const alg = ctx.jwk.alg
  // draft-ietf-cose-dilithium: "alg" is REQUIRED for AKP keys and fixes the parameter set.
  if (alg === undefined) {
    fail(ctx, 'ERR_JWK_INVALID', 'alg', 'AKP key: member alg is required')
    return false
  }
  const params = typeof alg === 'string' ? AKP[alg] : undefined
  if (params === undefined) {
    fail(ctx, 'ERR_JWK_UNSUPPORTED', 'alg', 'AKP key: alg must be ML-DSA-44, ML-DSA-65 or ML-DSA-87')
    return false
  }
  const pub = readBase64url(ctx, 'pub', true, 'AKP key')
  const priv = readBase64url(ctx, 'priv', false, 'AKP key')
  // FIPS 204 Table 2: public key sizes 1312 / 1952 / 2592 bytes.
  if (pub !== undefined && pub.length !== params.pubBytes) {
    fail(ctx, 'ERR_JWK_INVALID', 'pub', `AKP key: member pub is ${pub.length} bytes, ${alg as string} needs ${params.pubBytes}`)
    return false
  }
  if (priv !== undefined) {
    // draft-ietf-cose-dilithium: priv is the 32-byte seed.
    if (priv.length !== AKP_SEED_BYTES) {
      fail(ctx, 'ERR_JWK_INVALID', 'priv', `AKP key: member priv is ${priv.length} bytes, the seed is ${AKP_SEED_BYTES}`)
    } else if (pub !== undefined && !equalBytes(params.keygen(priv).publicKey, pub)) {
      // FIPS 204 §6.1: the public key is determined by the seed.
      fail(ctx, 'ERR_JWK_INVALID', 'priv', 'AKP key: member priv does not derive member pub')
    }
  }
  return pub !== undefined
}
