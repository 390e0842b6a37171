/**
 * @module jose
 * JWS (RFC 7515, RFC 7797) and JWT (RFC 7519, RFC 8725): signing, verification, claims.
 */
export { signJws, type JwsSigner, type SignJwsOptions } from './sign-jws.ts'
export { verifyJws, type FlattenedJws, type GeneralJws, type VerifyJwsOptions, type VerifyJwsResult } from './verify-jws.ts'
export { signJwt, type SignJwtOptions } from './sign-jwt.ts'
export { verifyJwt, type JwtClaims, type VerifyJwtOptions, type VerifyJwtResult } from './verify-jwt.ts'
export { decodeJwt, type DecodedJwt } from './decode.ts'
export { insecureEmbeddedJwkResolver } from './embedded-jwk.ts'
export { isKeySource, type KeySource, type KeySelectionHeader, type ResolvedKey } from './key-source.ts'
export type { JwsHeader } from './header.ts'
export type { JwtClaimOptions } from './jwt-claims.ts'
export { parseDuration } from './duration.ts'
export { encryptJwe, type EncryptJweOptions, type JweRecipient } from './encrypt-jwe.ts'
export { decryptJwe, type DecryptJweOptions, type DecryptJweResult, type FlattenedJwe, type GeneralJwe, type JweRecipientJson } from './decrypt-jwe.ts'
export type { JweHeader } from './jwe-header.ts'
