/**
 * @module server/discovery
 * The metadata document served at `/.well-known/openid-configuration` (OpenID Connect Discovery
 * 1.0 §3) and `/.well-known/oauth-authorization-server` (RFC 8414 §2). A key server is not a full
 * OpenID Provider: it states only what is true of it — `issuer`, `jwks_uri` and the signing
 * algorithms — and leaves out endpoints and response types it does not have. Operators whose
 * authorization endpoints live elsewhere can add those members through `extra`.
 */
import { JwkitError } from '../errors.ts'
import { JWKS_PATH } from './routes.ts'

/** OIDC Discovery §3 / RFC 8414 §2: issuer is an https (or, for development, http) URL without query or fragment. */
export function checkIssuer(issuer: string): string {
  let url: URL
  try {
    url = new URL(issuer)
  } catch {
    throw new JwkitError('ERR_CONFIG_INVALID', 'issuer must be an absolute URL')
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '' || issuer.includes('?') || issuer.includes('#')) {
    throw new JwkitError('ERR_CONFIG_INVALID', 'issuer must be an http(s) URL without query or fragment')
  }
  if (url.username !== '' || url.password !== '') {
    throw new JwkitError('ERR_CONFIG_INVALID', 'issuer must not carry credentials')
  }
  return issuer
}

/** The JWKS URL of an issuer: its URL with the path `/.well-known/jwks.json` appended. */
export function jwksUriOf(issuer: string): string {
  return issuer.replace(/\/+$/, '') + JWKS_PATH
}

/** Builds the discovery document bytes. `extra` cannot override issuer or jwks_uri. */
export function createDiscoveryDocument(issuer: string, algorithms: readonly string[], extra: Record<string, unknown> = {}): Buffer {
  const document = {
    ...extra,
    issuer,
    jwks_uri: jwksUriOf(issuer),
    // OIDC Discovery §3: algorithms the issuer signs ID Tokens with — here, every key's alg.
    id_token_signing_alg_values_supported: [...algorithms],
  }
  return Buffer.from(JSON.stringify(document))
}
