/**
 * @module jws
 * JWS (RFC 7515, RFC 7797): compact, flattened and general serializations; key sources.
 */
export { signJws, type JwsSigner, type SignJwsOptions } from './sign.ts'
export { verifyJws, type FlattenedJws, type GeneralJws, type VerifyJwsOptions, type VerifyJwsResult } from './verify.ts'
export { insecureEmbeddedJwkResolver } from './embedded-jwk.ts'
export { isKeySource, type KeySource, type KeySelectionHeader, type ResolvedKey } from './key-source.ts'
export type { JwsHeader } from './header.ts'
