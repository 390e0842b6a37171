/**
 * @module jwkit/express
 * Express middleware over {@link verifyAccessToken}: `app.use(bearer(options))` sets `req.auth`
 * or answers the refusal itself — its status, `WWW-Authenticate`, `DPoP-Nonce` and a JSON body
 * `{ error, error_description }`. Other failures go to `next(error)`. Express is not imported:
 * any Node request/response pair with Express' `next` fits.
 */
import { verifyAccessToken, type AccessTokenResult, type RequestLike, type VerifyAccessTokenOptions } from './access-token.ts'
import { isGuardError } from './errors.ts'

declare global {
  // Merges with @types/express' global `Express.Request` (declares it when absent): `req.auth` is typed.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by jwkit/express `bearer()`: the verified access token. */
      auth?: AccessTokenResult
    }
  }
}

/** The parts of Express' `req` / `res` the middleware uses. */
export interface ExpressRequestLike extends RequestLike {
  auth?: AccessTokenResult
}
export interface ExpressResponseLike {
  statusCode: number
  setHeader(name: string, value: string): unknown
  end(body?: string): unknown
}

/** Express middleware requiring a valid access token. */
export function bearer(options: VerifyAccessTokenOptions): (req: ExpressRequestLike, res: ExpressResponseLike, next: (error?: unknown) => void) => void {
  return (req, res, next) => {
    verifyAccessToken(req, options).then(
      (auth) => {
        req.auth = auth
        if (auth.dpopNonce !== undefined) res.setHeader('dpop-nonce', auth.dpopNonce)
        next()
      },
      (error: unknown) => {
        if (!isGuardError(error)) return next(error)
        res.statusCode = error.status
        for (const [name, value] of Object.entries(error.headers())) res.setHeader(name, value)
        res.setHeader('content-type', 'application/json; charset=utf-8')
        res.end(JSON.stringify(error.body()))
      },
    )
  }
}

export { verifyAccessToken }
