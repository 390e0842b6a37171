/**
 * @module guard/errors
 * A refusal of a request: a {@link JwkitError} that also carries what to answer — the HTTP status
 * (400, 401, 403, or 503 when a key source or the replay cache is down), the exact
 * `WWW-Authenticate` value, the OAuth error code (RFC 6750 §3.1, RFC 9449 §7.1) and, for
 * `use_dpop_nonce`, the `DPoP-Nonce` to send. The description is fixed text per kind of refusal:
 * it never carries token content; the underlying failure is kept as `cause` for logs.
 */
import { JwkitError, type ErrorCode } from '../errors.ts'

/** OAuth error codes a resource server sends (RFC 6750 §3.1, RFC 9449 §7.1, §9). */
export type OAuthErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'invalid_dpop_proof' | 'use_dpop_nonce'

export interface GuardErrorInit {
  status: 400 | 401 | 403 | 503
  /** The `WWW-Authenticate` value to send; undefined for 503. */
  wwwAuthenticate: string | undefined
  /** The OAuth error code, absent when no credentials came (RFC 6750 §3.1) and for 503. */
  error?: OAuthErrorCode | undefined
  /** A fresh server nonce to send as `DPoP-Nonce` (RFC 9449 §9). */
  dpopNonce?: string | undefined
  cause?: unknown
  detail?: Readonly<Record<string, string | number | boolean>>
}

/** The error every guard refusal is: check `code`, answer with `status` and `wwwAuthenticate`. */
export class GuardError extends JwkitError {
  readonly status: 400 | 401 | 403 | 503
  readonly wwwAuthenticate: string | undefined
  readonly error: OAuthErrorCode | undefined
  readonly dpopNonce: string | undefined

  constructor(code: ErrorCode, description: string, init: GuardErrorInit) {
    super(code, description, { cause: init.cause, ...(init.detail === undefined ? {} : { detail: init.detail }) })
    this.name = 'JwkitError'
    this.status = init.status
    this.wwwAuthenticate = init.wwwAuthenticate
    this.error = init.error
    this.dpopNonce = init.dpopNonce
  }

  /** The headers to answer with (`WWW-Authenticate`, `DPoP-Nonce`, `Cache-Control`). */
  headers(): Record<string, string> {
    const out: Record<string, string> = { 'cache-control': 'no-store' }
    if (this.wwwAuthenticate !== undefined) out['www-authenticate'] = this.wwwAuthenticate
    if (this.dpopNonce !== undefined) out['dpop-nonce'] = this.dpopNonce
    return out
  }

  /** The JSON body adapters send: `{ error, error_description, code }` (RFC 6749 §5.2 style, plus the jwkit code). */
  body(): { error: string; error_description: string; code: string } {
    return { error: this.error ?? (this.status === 503 ? 'temporarily_unavailable' : 'unauthorized'), error_description: this.message, code: this.code }
  }
}

/** True for a guard refusal (any copy of jwkit): it has a status to answer with. */
export function isGuardError(error: unknown): error is GuardError {
  return error instanceof JwkitError && typeof (error as GuardError).status === 'number' && typeof (error as GuardError).headers === 'function'
}
