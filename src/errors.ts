/**
 * @module errors
 * Every failure jwkit reports on data it was given is a {@link JwkitError} with a stable `code`
 * from {@link ERROR_CODES}. Codes are public API: renaming one is a breaking change.
 * Messages name the member and the rule broken, never key material, tokens or payloads.
 * Caller mistakes (a wrong argument type, a negative timeout) are plain `TypeError`/`RangeError`.
 */

/** One entry per code: what it means, the HTTP status the server answers with, the CLI exit. */
interface CodeInfo {
  readonly description: string
  readonly http: number
  /** `jwk` exit status: 1 invalid input or failed verification, 2 wrong usage or configuration,
   * 3 the environment failed (network, store, file system, a missing tool). */
  readonly exit: 1 | 2 | 3
}

const invalid = (description: string, http = 400): CodeInfo => ({ description, http, exit: 1 })
const usage = (description: string, http = 500): CodeInfo => ({ description, http, exit: 2 })
const environment = (description: string, http = 503): CodeInfo => ({ description, http, exit: 3 })

/** The registry of every error code. README's error table is generated from it (`tools/errors-table.mjs`). */
export const ERROR_CODES = {
  // input in general
  ERR_INPUT_TOO_LARGE: invalid('An input exceeds its size, depth or count bound', 413),
  ERR_JSON_INVALID: invalid('Text is not a single strict JSON value (syntax, duplicate member names, depth)'),

  // jwk/
  ERR_JWK_INVALID: invalid('A JWK breaks a rule of RFC 7517/7518/8037/8812/9864 or the AKP draft'),
  ERR_JWK_UNSUPPORTED: invalid('A JWK uses a key type, curve, algorithm or feature jwkit does not support'),
  ERR_JWK_NO_PUBLIC_FORM: invalid('A symmetric (oct) key has no public form'),
  ERR_JWK_PRIVATE_MEMBER: invalid('A private member appears where only public keys belong'),
  ERR_JWK_WEAK_KEY: invalid('A key is too weak for the requested use (e.g. RSA under 2048 bits)'),
  ERR_JWK_NON_CANONICAL: invalid('A JWK member was not canonical but had one reading (padding, alphabet, leading zeros, x5t hint); a warning: normalised by default, refused under strict'),
  ERR_JWKS_INVALID: invalid('A JWK Set is malformed (not an object, "keys" not an array, too many keys)'),
  ERR_JWKS_DUPLICATE_KID: invalid('Two keys of a JWK Set share a "kid"'),

  // crypto/
  ERR_KEY_IMPORT_FAILED: invalid('node:crypto refused to import the key'),
  ERR_KEY_EXPORT_FAILED: invalid('The key cannot be exported as a JWK'),
  ERR_KEY_NOT_EXTRACTABLE: invalid('A CryptoKey is not extractable'),
  ERR_KEY_GENERATION_FAILED: invalid('Key generation failed or the spec is not allowed'),

  // formats/
  ERR_FORMAT_UNRECOGNIZED: invalid('The input is in no format jwkit recognises'),
  ERR_PEM_INVALID: invalid('A PEM block is malformed, or its label lies about its content'),
  ERR_DER_INVALID: invalid('DER is truncated, non-canonical, has trailing bytes, or is not the expected structure'),
  ERR_PASSPHRASE_REQUIRED: invalid('An encrypted private key needs a passphrase'),
  ERR_PASSPHRASE_WRONG: invalid('The passphrase does not open the encrypted private key'),
  ERR_X509_INVALID: invalid('A certificate cannot be parsed'),
  ERR_X509_CHAIN_INVALID: invalid('A certificate chain does not verify (signature, order, anchor or dates)'),
  ERR_SSH_INVALID: invalid('An OpenSSH public key line is malformed or its algorithm disagrees with its blob'),
  ERR_COSE_INVALID: invalid('A COSE_Key is malformed (CBOR, missing or duplicate labels, wrong lengths)'),

  // jws/, jwt/, jwe/
  ERR_ALG_NOT_ALLOWED: invalid('The algorithm is outside the allowlist, or does not fit the key', 401),
  ERR_ALG_NONE: invalid('"alg": "none" (unsecured JWS) is refused', 401),
  ERR_KEY_USAGE_FORBIDDEN: invalid('The key\'s "use", "key_ops" or "alg" forbid this operation', 401),
  ERR_JWS_INVALID: invalid('A JWS is malformed (segments, base64url, header, crit, size)', 401),
  ERR_JWS_SIGNATURE_INVALID: invalid('signature verification failed', 401),
  ERR_JWS_CRIT_UNSUPPORTED: invalid('"crit" names an extension that is not understood or not present', 401),
  ERR_JWT_INVALID: invalid('A JWT payload is not a JSON object, or a claim has the wrong type', 401),
  ERR_JWT_EXPIRED: invalid('The JWT is expired ("exp", or older than maxTokenAge)', 401),
  ERR_JWT_NOT_YET_VALID: invalid('The JWT is not yet valid ("nbf" or "iat" in the future)', 401),
  ERR_JWT_CLAIM_INVALID: invalid('A JWT claim check failed (iss, aud, typ, sub, required claims)', 401),
  ERR_JWE_INVALID: invalid('A JWE is malformed', 400),
  ERR_JWE_DECRYPTION_FAILED: invalid('decryption operation failed', 400),
  ERR_JWE_CRIT_UNSUPPORTED: invalid('A JWE "crit" names an extension that is not understood, not present, or not protected', 400),

  // jwks/
  ERR_JWKS_NO_MATCHING_KEY: invalid('No key of the set matches the token', 401),
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: invalid('Too many keys match a token without "kid"', 401),
  ERR_JWKS_URL_NOT_ALLOWED: usage('The JWK Set or discovery URL is not allowed (scheme, host, redirect)'),
  ERR_JWKS_TIMEOUT: environment('Fetching the JWK Set timed out', 503),
  ERR_JWKS_FETCH_FAILED: environment('Fetching the JWK Set failed (connection, status, body)', 503),
  ERR_JWKS_RESPONSE_TOO_LARGE: environment('The JWK Set response exceeds maxResponseBytes', 503),
  ERR_DISCOVERY_INVALID: environment('The discovery document is malformed or has no usable jwks_uri', 503),
  ERR_DISCOVERY_ISSUER_MISMATCH: environment('The discovery document\'s "issuer" differs from the configured issuer', 503),

  // guard/
  ERR_AUTH_MISSING: invalid('The request carries no access token (no error code is sent, RFC 6750 §3.1)', 401),
  ERR_AUTH_REQUEST_INVALID: invalid('The credentials are malformed, repeated, or sent in a way not enabled (RFC 6750 §3.1 invalid_request)', 400),
  ERR_AUTH_INSUFFICIENT_SCOPE: invalid('The access token lacks a required scope (RFC 6750 §3.1 insufficient_scope)', 403),
  ERR_TOKEN_BINDING_MISMATCH: invalid('The token\'s cnf binding does not match the DPoP key or TLS client certificate, or a bound token came as Bearer', 401),
  ERR_DPOP_PROOF_INVALID: invalid('The DPoP proof breaks a rule of RFC 9449 §4.3 (invalid_dpop_proof)', 401),
  ERR_DPOP_PROOF_REPLAYED: invalid('The DPoP proof\'s jti was seen before within its window (RFC 9449 §11.1)', 401),
  ERR_DPOP_NONCE_REQUIRED: invalid('The DPoP proof lacks a current server nonce (RFC 9449 §9 use_dpop_nonce)', 401),
  ERR_REPLAY_CACHE_UNAVAILABLE: environment('The shared replay cache cannot be reached, so a DPoP proof cannot be checked for replay', 503),

  // store/
  ERR_STORE_URL_INVALID: usage('The key store URL has an unknown scheme or is malformed'),
  ERR_STORE_UNAVAILABLE: environment('The key store cannot be reached', 503),
  ERR_STORE_MISSING: invalid('The key store does not exist (a read-only command creates none; check the --store URL or path)', 404),
  ERR_STORE_SCHEMA_TOO_NEW: usage('The key store was written by a newer jwkit schema'),
  ERR_STORE_NOT_FOUND: invalid('No key with that kid in the store', 404),
  ERR_STORE_KID_CONFLICT: invalid('A key with that kid already exists', 409),
  ERR_STORE_STATE_INVALID: invalid('The key state transition is not allowed', 409),
  ERR_STORE_NO_ACTIVE_KEY: invalid('The store has no active key for that algorithm', 503),
  ERR_KEK_MISSING: usage('No key-encryption key is configured'),
  ERR_KEK_INVALID: usage('A key-encryption key is not 32 bytes of base64url'),
  ERR_UNSEAL_FAILED: invalid('A sealed private key cannot be opened with any configured KEK', 500),

  // server/ and cli/
  ERR_CONFIG_INVALID: usage('A configuration value or environment variable is invalid'),
  ERR_CLI_USAGE: usage('Wrong command-line usage', 400),
  ERR_FILE_ACCESS: environment('A file cannot be read or written (missing, a directory, no permission, exists without --force)', 500),
  ERR_CLI_INTERNAL: invalid('The command failed unexpectedly (a bug: please report it)', 500),
  ERR_HTTP_NOT_FOUND: invalid('No such route', 404),
  ERR_HTTP_METHOD_NOT_ALLOWED: invalid('Method not allowed on this route', 405),
  ERR_HTTP_UNAUTHORIZED: invalid('Missing or wrong admin bearer token', 401),
  ERR_HTTP_BODY_TOO_LARGE: invalid('Request body too large', 413),
  ERR_HTTP_BAD_REQUEST: invalid('Malformed request', 400),
  ERR_HTTP_INTERNAL: invalid('The server failed to answer; details are in its log, not the response', 500),
} as const satisfies Record<string, CodeInfo>

export type ErrorCode = keyof typeof ERROR_CODES

/** One finding of a validation: an error (the input is refused) or a warning (accepted, but worth knowing). */
export interface Problem {
  readonly code: ErrorCode
  /** JSON pointer (RFC 6901) of the member at fault, e.g. `/keys/2/n`; `''` for the whole input. */
  readonly path: string
  readonly message: string
  readonly severity: 'error' | 'warning'
}

export interface JwkitErrorOptions {
  path?: string
  problems?: readonly Problem[]
  cause?: unknown
  /** Extra structured context (claim name, HTTP status, ...): never key material. */
  detail?: Readonly<Record<string, string | number | boolean>>
}

/** The one error class jwkit throws for bad data. Check `code`, not `instanceof`. */
export class JwkitError extends Error {
  readonly code: ErrorCode
  /** JSON pointer of the member at fault, when there is one. */
  readonly path: string | undefined
  /** Every problem found, for validation failures. */
  readonly problems: readonly Problem[]
  readonly detail: Readonly<Record<string, string | number | boolean>> | undefined

  constructor(code: ErrorCode, message: string, options: JwkitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'JwkitError'
    this.code = code
    this.path = options.path
    this.problems = options.problems ?? []
    this.detail = options.detail
  }

  toJSON(): { code: ErrorCode; message: string; path?: string } {
    return this.path === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, path: this.path }
  }
}

/** True for any jwkit error, even one thrown by another copy of the package. */
export function isJwkitError(error: unknown): error is JwkitError {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'string' &&
    Object.hasOwn(ERROR_CODES, (error as unknown as { code: string }).code)
  )
}

/** Builds a problem record (severity `error` unless told). */
export function problem(
  code: ErrorCode,
  path: string,
  message: string,
  severity: 'error' | 'warning' = 'error',
): Problem {
  return { code, path, message, severity }
}
