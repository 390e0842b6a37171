/**
 * @module jwkit/hono
 * Hono middleware over {@link verifyAccessToken}: `app.use(bearer(options))` sets
 * `c.get('auth')`, or answers the refusal (status, `WWW-Authenticate`, `DPoP-Nonce`, JSON body).
 * Hono is not imported: the context shape is all it needs.
 */
import { verifyAccessToken, type AccessTokenResult, type VerifyAccessTokenOptions } from './access-token.ts'
import { isGuardError } from './errors.ts'

/** The parts of Hono's `Context` the middleware uses. */
export interface HonoContextLike {
  req: { raw: Request }
  set(key: 'auth', value: AccessTokenResult): void
  header(name: string, value: string): void
  json(body: unknown, status?: number, headers?: Record<string, string>): Response
}

/** Hono middleware requiring a valid access token. */
export function bearer(options: VerifyAccessTokenOptions): (c: HonoContextLike, next: () => Promise<void>) => Promise<Response | void> {
  return async (c, next) => {
    let auth: AccessTokenResult
    try {
      auth = await verifyAccessToken(c.req.raw, options)
    } catch (error) {
      if (!isGuardError(error)) throw error
      // hono's c.json types its status as a literal union; the guard's are all valid ones.
      return c.json(error.body(), error.status, error.headers())
    }
    c.set('auth', auth)
    if (auth.dpopNonce !== undefined) c.header('dpop-nonce', auth.dpopNonce)
    await next()
  }
}

export { verifyAccessToken }
