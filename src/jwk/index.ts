/**
 * @module jwk
 * The JWK model (RFC 7517, 7518 §6, 7638, 8037, 8812, 9278, 9864, AKP draft): strict parsing and
 * checking, public projection, thumbprints, JWK Sets and key selection.
 */
export { parseJwk, checkJwk } from './parse.ts'
export type { ParseJwkOptions, CheckJwkResult } from './parse.ts'
export {
  jwsAlgorithm, jweAlgorithm, keyFitsAlgorithm, signatureAlgorithmsForKey, algorithmUse,
  JWS_ALGORITHMS, JWE_ALGORITHMS, RSA_MIN_BITS,
} from './algorithms.ts'
export type { JwsAlgorithmInfo, JweAlgorithmInfo, JwsFamily, JweFamily } from './algorithms.ts'
export { toPublicJwk, isPrivateJwk } from './public.ts'
export { thumbprint, thumbprintUri } from './thumbprint.ts'
export { parseJwkSet, toPublicJwkSet } from './set.ts'
export type { ParseJwkSetOptions, ParseJwkSetResult } from './set.ts'
export { selectKeys } from './select.ts'
export type { KeySelection } from './select.ts'
export type * from './types.ts'
