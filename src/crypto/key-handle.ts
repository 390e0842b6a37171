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

declare global {
  // Declared empty so that the lookup below type-checks without @types/node (which fills it in).
  namespace NodeJS { interface Process {} } // eslint-disable-line @typescript-eslint/no-namespace, @typescript-eslint/no-empty-object-type
}

/** The first of two overloads' return type. */
type FirstReturn<T> = T extends { (...args: infer _A): infer R; (...args: infer _B): infer _S } ? R : never
/**
 * node:crypto's module type where the program has @types/node (≥ 20.16: `process.getBuiltinModule`'s
 * first overload maps module names to module types), else never: found through a global, so the
 * declarations never name `node:crypto`, which a browser or worker project cannot resolve.
 */
type NodeCryptoModule = Extract<NodeJS.Process extends { getBuiltinModule: infer G } ? FirstReturn<G> : never, { KeyObject: unknown; createPublicKey: unknown }>
type NodeKeyObject = [NodeCryptoModule] extends [never] ? never : NodeCryptoModule extends { KeyObject: { prototype: infer K } } ? K : never

/**
 * The runtime's key handle, as the portable API types it: what `importJwk` returns and the key
 * functions take. In a program with @types/node it is node:crypto's `KeyObject` itself (Node
 * code keeps calling `export`, `equals`, passing it to node:crypto); without, the facts jwkit
 * reads (a {@link BackendKey}: `type`, `asymmetricKeyType`, …), which both a KeyObject and the
 * web backend's keys have, so the declarations need neither @types/node nor node:crypto.
 */
export type KeyLike = [NodeKeyObject] extends [never] ? BackendKey : NodeKeyObject

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
