/**
 * @module jwt
 * JWT (RFC 7519, RFC 8725): signing, verification, claims, decoding without verification.
 */
export { signJwt, type SignJwtOptions } from './sign.ts'
export { verifyJwt, type JwtClaims, type VerifyJwtOptions, type VerifyJwtResult } from './verify.ts'
export { decodeJwt, type DecodedJwt } from './decode.ts'
export type { JwtClaimOptions } from './claims.ts'
export { parseDuration } from './duration.ts'
