/**
 * @module crypto/ml-dsa
 * ML-DSA keys (FIPS 204) as draft-ietf-cose-dilithium's AKP JWKs carry them: `pub` is the
 * encoded public key, `priv` the 32-byte seed ξ from which ML-DSA.KeyGen_internal expands the
 * key pair. Backed by `@noble/post-quantum` (audited), since Node 20 has no ML-DSA.
 * Signing and verifying live in crypto/sign.ts; this file only builds and derives keys.
 */
import { randomBytes } from '#backend'
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js'
import { JwkitError } from '../errors.ts'
import { decodeBase64url, encodeBase64url } from '../util/base64url.ts'
import { timingSafeEqualBytes } from '../util/bytes.ts'
import type { AkpAlgorithm, AkpJwk } from '../jwk/types.ts'
import type { MlDsaKey } from './key-handle.ts'

/** The ML-DSA parameter sets jwkit knows, as AKP `alg` values (draft-ietf-cose-dilithium §4). */
export const ML_DSA_ALGORITHMS: readonly AkpAlgorithm[] = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87']

/** The noble implementation of one parameter set. */
export function mlDsa(alg: AkpAlgorithm): typeof ml_dsa44 {
  switch (alg) {
    case 'ML-DSA-44': return ml_dsa44
    case 'ML-DSA-65': return ml_dsa65
    case 'ML-DSA-87': return ml_dsa87
    default: throw new JwkitError('ERR_JWK_UNSUPPORTED', `AKP key: alg ${JSON.stringify(alg)} is not an ML-DSA parameter set`, { path: '/alg' })
  }
}

/** True when `alg` names an ML-DSA parameter set. */
export function isMlDsaAlgorithm(alg: unknown): alg is AkpAlgorithm {
  return typeof alg === 'string' && (ML_DSA_ALGORITHMS as readonly string[]).includes(alg)
}

/**
 * Builds an {@link MlDsaKey} from an AKP JWK already checked by parseJwk. A private key's
 * secret key is expanded from the seed, and the public key it yields must be `pub`
 * (draft-ietf-cose-dilithium: `priv` is the seed of the key whose public key is `pub`).
 */
export function mlDsaKeyFromJwk(jwk: AkpJwk): MlDsaKey {
  const impl = mlDsa(jwk.alg)
  const publicKey = decodeBase64url(jwk.pub)
  if (publicKey === undefined || publicKey.length !== impl.lengths.publicKey) {
    throw new JwkitError('ERR_JWK_INVALID', `AKP key: member pub is not a ${jwk.alg} public key`, { path: '/pub' })
  }
  if (jwk.priv === undefined) return Object.freeze({ type: 'ml-dsa', alg: jwk.alg, publicKey: new Uint8Array(publicKey) })
  const seed = decodeBase64url(jwk.priv)
  if (seed === undefined || seed.length !== 32) {
    throw new JwkitError('ERR_JWK_INVALID', 'AKP key: member priv must be a 32-byte seed', { path: '/priv' })
  }
  const pair = impl.keygen(seed)
  if (!timingSafeEqualBytes(pair.publicKey, publicKey)) {
    throw new JwkitError('ERR_JWK_INVALID', `AKP key: member priv is not the seed of the ${jwk.alg} key in pub`, { path: '/priv' })
  }
  return Object.freeze({ type: 'ml-dsa', alg: jwk.alg, publicKey: pair.publicKey, secretKey: pair.secretKey })
}

/** Generates a new ML-DSA private key as an AKP JWK (`kty`, `alg`, `pub`, `priv`). */
export function generateMlDsaJwk(alg: AkpAlgorithm): AkpJwk {
  const seed = randomBytes(32)
  const { publicKey } = mlDsa(alg).keygen(seed)
  return { kty: 'AKP', alg, pub: encodeBase64url(publicKey), priv: encodeBase64url(seed) }
}

/** The public AKP JWK of an ML-DSA key. */
export function mlDsaPublicJwk(key: MlDsaKey): AkpJwk {
  return { kty: 'AKP', alg: key.alg, pub: encodeBase64url(key.publicKey) }
}
