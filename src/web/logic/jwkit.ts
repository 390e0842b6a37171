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
// formats by module, not its index: the index also holds Node-only readers (OpenSSH private keys)
export { fromPem } from '../../formats/from-pem.ts'
export { toPem, type PemFormat } from '../../formats/to-pem.ts'
export { fromX509, describeX509, type X509Description } from '../../formats/x509.ts'
export { fromSsh, toSsh } from '../../formats/ssh.ts'
export { fromCose, toCose } from '../../formats/cose.ts'
export { readKey } from '../../formats/detect.ts'
export { decodePem, encodePem } from '../../formats/pem.ts'
export { verifyJws } from '../../jws/index.ts'
export { verifyJwt, decodeJwt } from '../../jwt/index.ts'
export { decryptJwe } from '../../jwe/index.ts'
export { createLocalJwks } from '../../jwks/local.ts'
export { createRemoteJwks } from '../../jwks/remote.ts'
