/**
 * @module guard/fetch-handler
 * `withAccessToken(handler, options)`: wraps a fetch handler (`(request) => Response`, as
 * Workers, Deno, Bun and Node's web-standard servers use) so that it runs only with a valid
 * access token, receiving the result as its second argument; refusals are answered with their
 * status, `WWW-Authenticate`, `DPoP-Nonce` and a JSON body.
 */
import { verifyAccessToken, type AccessTokenResult, type VerifyAccessTokenOptions } from './access-token.ts'
import { isGuardError } from './errors.ts'

export type AuthorizedFetchHandler<Rest extends unknown[]> = (request: Request, auth: AccessTokenResult, ...rest: Rest) => Response | Promise<Response>

/** Wraps a fetch handler with the access-token guard. */
export function withAccessToken<Rest extends unknown[]>(handler: AuthorizedFetchHandler<Rest>, options: VerifyAccessTokenOptions): (request: Request, ...rest: Rest) => Promise<Response> {
  if (typeof handler !== 'function') throw new TypeError('withAccessToken: handler must be a function')
  return async (request, ...rest) => {
    let auth: AccessTokenResult
    try {
      auth = await verifyAccessToken(request, options)
    } catch (error) {
      if (!isGuardError(error)) throw error
      return new Response(JSON.stringify(error.body()), { status: error.status, headers: { ...error.headers(), 'content-type': 'application/json; charset=utf-8' } })
    }
    const response = await handler(request, auth, ...rest)
    if (auth.dpopNonce === undefined) return response
    // RFC 9449 §8.2: the next nonce rides on the successful response.
    const headers = new Headers(response.headers)
    headers.set('dpop-nonce', auth.dpopNonce)
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
  }
}
