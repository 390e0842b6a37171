/**
 * @module crypto/key-handle
 * What the crypto layer signs and verifies with: a node:crypto `KeyObject`, or, for the AKP keys
 * of draft-ietf-cose-dilithium (ML-DSA, FIPS 204), an {@link MlDsaKey}: Node 20 has no ML-DSA
 * `KeyObject`, so those keys are held as raw bytes for `@noble/post-quantum`.
 */
import { isBackendKey } from '#backend'
import type { BackendKey } from '../backend/types.ts'
import type { AkpAlgorithm } from '../jwk/types.ts'

/** An ML-DSA key (draft-ietf-cose-dilithium AKP): the encoded public key, and the expanded secret key when private. */
export interface MlDsaKey {
  readonly type: 'ml-dsa'
  readonly alg: AkpAlgorithm
  /** FIPS 204 encoded public key (`pub` of the JWK). */
  readonly publicKey: Uint8Array
  /** FIPS 204 expanded secret key, derived from the 32-byte seed (`priv` of the JWK). */
  readonly secretKey?: Uint8Array
}

/** A key the crypto layer can use: a backend key (a node:crypto KeyObject on Node), or an ML-DSA key. */
export type KeyHandle = BackendKey | MlDsaKey

/** True for an {@link MlDsaKey}. */
export function isMlDsaKey(x: unknown): x is MlDsaKey {
  return (
    typeof x === 'object' &&
    x !== null &&
    !isBackendKey(x) &&
    (x as { type?: unknown }).type === 'ml-dsa' &&
    (x as { publicKey?: unknown }).publicKey instanceof Uint8Array
  )
}
