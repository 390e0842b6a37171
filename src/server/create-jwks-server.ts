/**
 * @module server/create-jwks-server
 * `createJwksServer(manager, options)`: a `node:http` server over a {@link KeyManager}. Every
 * route is answered by the request → response core (server/key-server-core); this module is the
 * thin adapter: it parses the request line, hands a {@link NodeCoreRequest} to the core, writes
 * the answer, and owns what only a socket has — the receive timeouts (408) and the listening
 * address (the default issuer). The hot route, `GET /.well-known/jwks.json` (RFC 7517 §5),
 * answers from a response precomputed at each change of the published set, so a request never
 * reads the store and a store outage never stops publication.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { KeyManager } from '../store/types.ts'
import type { CoreResponse } from './core.ts'
import { createKeyServerCore, type KeyServerCoreOptions } from './key-server-core.ts'
import { NodeCoreRequest, sendCoreResponse } from './node-adapter.ts'
import { ownOptions } from '../util/dict.ts'

/** The core's options (issuer, admin token, logger, body bound, cache lifetime, metrics, page…) and the socket's timeouts. */
export interface CreateJwksServerOptions extends Omit<KeyServerCoreOptions, 'accepting'> {
  /** Whole-request receive limit (default 10 s); slower clients get 408 and are disconnected. */
  requestTimeoutMs?: number
  /** Header receive limit (default 5 s, never above requestTimeoutMs). */
  headersTimeoutMs?: number
  /** Idle keep-alive limit (default 5 s). */
  keepAliveTimeoutMs?: number
}

/** Creates the key server (not yet listening). The manager must have been `init()`ed. */
export function createJwksServer(manager: KeyManager, options: CreateJwksServerOptions = {}): Server {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const requestTimeout = options.requestTimeoutMs ?? 10_000
  let server: Server | undefined
  const core = createKeyServerCore(manager, { ...options, accepting: () => server?.listening === true })

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const answer = core.handle(new NodeCoreRequest(req, q === -1 ? url : url.slice(0, q)))
    if (!(answer instanceof Promise)) {
      sendCoreResponse(res, answer)
      return
    }
    answer.then(
      (response: CoreResponse) => sendCoreResponse(res, response),
      () => { if (!res.writableEnded) res.destroy() }, // ConnectionGone: counted by the core; nothing to write to
    )
  }

  server = createServer({
    requestTimeout,
    headersTimeout: Math.min(options.headersTimeoutMs ?? 5_000, requestTimeout),
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 5_000,
    // How often Node checks the two timeouts above (default 30 s would let slow clients linger).
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(requestTimeout / 4))),
  }, handler)
  const listening = server
  listening.on('listening', () => {
    const address = listening.address()
    if (address !== null && typeof address === 'object') core.defaultIssuer(`http://localhost:${address.port}`)
  })
  listening.on('close', core.close)
  return listening
}
