/**
 * @module cli/commands/serve
 * `jwk serve`: runs the key server (RFC 7517 §5 JWK Set at /.well-known/jwks.json) until SIGTERM
 * or SIGINT, then shuts down gracefully. Flags mirror environment variables; logs are JSON lines
 * on stdout.
 */
import type { Command } from '../command.ts'
import { EXIT_STATUS, parseFlags } from '../command.ts'
import { resolveServeConfig } from '../../server/config.ts'
import { createLogger } from '../../server/logger.ts'
import { startKeyServer } from '../../server/start-key-server.ts'

const help = `Usage: jwk serve [--store URL] [--host H] [--port N] [--issuer URL] [--alg ES256,RS256]
                 [--rotate-every 30d] [--tick-every 1m] [--log-level info]
                 [--max-token-ttl 1h] [--jwks-max-age 1h] [--prepublish 130m] [--no-page]

Runs the key server: GET /.well-known/jwks.json, /.well-known/openid-configuration,
/.well-known/oauth-authorization-server, /healthz, /readyz, /metrics, the admin API, and
the page: / (JWK workbench, runs in the browser) and /dashboard (keys, lifecycle, actions).

  --store URL          key store (JWKIT_STORE; default sqlite:./data/keys.db; postgres://…?schema=S)
  --host H             interface to listen on (HOST; default: all)
  --port N             port (PORT; default 8080; 0 picks a free one, logged at start-up)
  --issuer URL         issuer identifier (JWKIT_ISSUER; default http://localhost:<port>)
  --alg LIST           signing algorithms, one lifecycle each (JWKIT_ALG; default ES256)
  --rotate-every D     rotation period, e.g. 30d, 12h (JWKIT_ROTATE_EVERY; default 30d)
  --tick-every D       how often due rotations are checked (JWKIT_TICK_EVERY)
  --log-level L        debug, info, warn or error (JWKIT_LOG_LEVEL; default info)
  --max-token-ttl D    longest token lifetime /admin/sign issues; longer expiresIn is capped and
                       the answer says so (JWKIT_MAX_TOKEN_TTL; default 1h)
  --jwks-max-age D     Cache-Control max-age of the JWK Set (JWKIT_JWKS_MAX_AGE; default 1h)
  --prepublish D       how long a key is published before it signs; at least 2 x jwks-max-age
                       (JWKIT_PREPUBLISH; default 2 x jwks-max-age + 10m). Set the same value
                       for jwk keys rotate, which reads JWKIT_PREPUBLISH too.
  --no-page            serve no page: / and /dashboard answer 404, the JWK Set, discovery and
                       the admin API are unchanged (JWKIT_NO_PAGE=1)

Environment only:
  JWKIT_ADMIN_TOKEN / JWKIT_ADMIN_TOKEN_FILE   enable /admin/* with this bearer token (16+ chars)
  JWKIT_KEK / JWKIT_KEK_FILE                   key-encryption key(s) (required for PostgreSQL;
                                               SQLite creates a KEK file beside the database)
  JWKIT_WEB_DIR                                the built page to serve (default: dist/web)

Stops on SIGTERM/SIGINT: stops accepting, finishes in-flight requests, closes the store.

${EXIT_STATUS}A store that cannot be reached exits 3.
`

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the key server (JWKS, discovery, admin API, workbench and dashboard page)',
  help,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      store: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      issuer: { type: 'string' },
      alg: { type: 'string' },
      'rotate-every': { type: 'string' },
      'tick-every': { type: 'string' },
      'log-level': { type: 'string' },
      'max-token-ttl': { type: 'string' },
      'jwks-max-age': { type: 'string' },
      prepublish: { type: 'string' },
      'no-page': { type: 'boolean' },
    }, false)
    const config = resolveServeConfig(values, io.env)
    const logger = createLogger({ write: io.stdout, level: config.logLevel })
    const handle = await startKeyServer(config, { logger, env: io.env })
    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        process.off('SIGTERM', stop)
        process.off('SIGINT', stop)
        logger.info('signal received', { signal })
        resolve()
      }
      process.on('SIGTERM', stop)
      process.on('SIGINT', stop)
    })
    await handle.close()
    return 0
  },
}
