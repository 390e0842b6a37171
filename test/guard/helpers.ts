// Shared fixtures of the guard tests: an issuer key, a local key source, tokens and DPoP clients.
import { generateJwk } from '../../src/crypto/generate.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { thumbprint } from '../../src/jwk/thumbprint.ts'
import { createLocalJwks } from '../../src/jwks/local.ts'
import { signJwt } from '../../src/jwt/sign.ts'
import type { GuardError } from '../../src/guard/errors.ts'

export const ISSUER = 'https://as.example'
export const AUDIENCE = 'https://api.example/'
export const issuerKey = await generateJwk('ES256', { kid: 'as-1' })
export const keys = createLocalJwks({ keys: [toPublicJwk(issuerKey)] })
export const clientKey = await generateJwk('ES256')
export const clientJkt = thumbprint(toPublicJwk(clientKey))

let n = 0
/** An RFC 9068 access token; `extra` overrides claims, `typ` the header. */
export function accessToken(extra: Record<string, unknown> = {}, options: { typ?: string; key?: Jwk; expiresIn?: number; iat?: number } = {}): Promise<string> {
  return signJwt(
    { sub: 'user-1', client_id: 'client-1', scope: 'read write', jti: `at-${++n}`, ...extra },
    options.key ?? issuerKey,
    { typ: options.typ ?? 'at+jwt', kid: (options.key ?? issuerKey).kid as string, issuer: ISSUER, audience: AUDIENCE, expiresIn: options.expiresIn ?? 300, ...(options.iat === undefined ? {} : { iat: options.iat }) },
  )
}

/** Asserts a rejection is a guard refusal with this status, code and WWW-Authenticate value. */
export async function refused(work: Promise<unknown>, expected: { status: number; code: string; www?: string | RegExp | undefined; error?: string }): Promise<GuardError> {
  try {
    await work
  } catch (e) {
    const error = e as GuardError
    if (error.status !== expected.status || error.code !== expected.code) {
      throw new Error(`expected ${expected.status} ${expected.code}, got ${error.status} ${error.code}: ${error.message}`)
    }
    if (Object.hasOwn(expected, 'www')) {
      const w = expected.www
      if (w instanceof RegExp ? !w.test(error.wwwAuthenticate ?? '') : error.wwwAuthenticate !== w) {
        throw new Error(`WWW-Authenticate: expected ${String(w)}, got ${error.wwwAuthenticate}`)
      }
    }
    if (expected.error !== undefined && error.error !== expected.error) throw new Error(`error: expected ${expected.error}, got ${error.error}`)
    return error
  }
  throw new Error('expected a refusal, but the request was accepted')
}
