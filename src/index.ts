/**
 * @module jwkit
 * The public API: re-exports only (see DESIGN.md for the contract).
 */
export { JwkitError, isJwkitError, ERROR_CODES } from './errors.ts'
export type { ErrorCode, Problem } from './errors.ts'
export { encodeBase64url, decodeBase64url } from './util/base64url.ts'
export type * from './jwk/types.ts'
export type { KeySource, ResolvedKey, KeySelectionHeader } from './jose/key-source.ts'
