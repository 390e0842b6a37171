/**
 * @module web/logic/jwkit
 * The page's one door to jwkit: the public functions the workbench calls, from jwkit's portable
 * layers (the same names the package entry exports). Bundled for browsers by
 * tools/build-web.mjs with the `browser` condition, which selects the WebCrypto + @noble backend.
 */
export { JwkitError, isJwkitError } from '../../errors.ts'
export type { Problem } from '../../errors.ts'
export { encodeBase64url, decodeBase64url } from '../../util/base64url.ts'
export { parseJwk, checkJwk, toPublicJwk, isPrivateJwk, thumbprint, thumbprintUri, parseJwkSet } from '../../jwk/index.ts'
export type { Jwk, JwkSet } from '../../jwk/index.ts'
export { generateJwk } from '../../crypto/index.ts'
export { fromPem, toPem, fromX509, describeX509, fromSsh, toSsh, fromCose, toCose, readKey, decodePem, encodePem } from '../../formats/index.ts'
export type { X509Description, PemFormat } from '../../formats/index.ts'
export { verifyJws } from '../../jws/index.ts'
export { verifyJwt, decodeJwt } from '../../jwt/index.ts'
export { decryptJwe } from '../../jwe/index.ts'
export { createLocalJwks, createRemoteJwks } from '../../jwks/index.ts'
