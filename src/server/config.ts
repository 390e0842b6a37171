/**
 * @module server/config
 * The configuration of `jwk serve`: every flag also as an environment variable (flag wins), with
 * the defaults of the issue (store `sqlite:./data/keys.db`, port 8080, issuer
 * `http://localhost:<port>`). Pure: the environment and the file reader are arguments. Anything
 * invalid is `ERR_CONFIG_INVALID`, naming the flag or variable but never a token.
 */
import { readFileSync } from 'node:fs'
import { JwkitError } from '../errors.ts'
import { readDuration, SHORT_UNITS } from '../util/duration.ts'
import type { RotationPolicy } from '../store/types.ts'
import type { LogLevel } from './logger.ts'
import { assertAdminToken } from './admin.ts'
import { checkIssuer } from './discovery.ts'
import { ownOptions } from '../util/dict.ts'

export const DEFAULT_STORE = 'sqlite:./data/keys.db'
export const DEFAULT_PORT = 8080

export interface ServeFlags {
  store?: string
  host?: string
  port?: string
  issuer?: string
  alg?: string
  'rotate-every'?: string
  'tick-every'?: string
  'log-level'?: string
  'max-token-ttl'?: string
  'jwks-max-age'?: string
  prepublish?: string
  /** No workbench and dashboard: `/` and `/dashboard` answer 404 (JWKIT_NO_PAGE=1). */
  'no-page'?: boolean
}

export interface ServeConfig {
  store: string
  /** Undefined: every interface (Node's default, IPv6 and IPv4). */
  host: string | undefined
  port: number
  /** Undefined when port is 0: the server fills in `http://localhost:<bound port>`. */
  issuer: string | undefined
  algorithms: string[] | undefined
  rotateEveryMs: number | undefined
  tickIntervalMs: number | undefined
  /** Longest token lifetime the server signs (JWKIT_MAX_TOKEN_TTL; default 1h). */
  maxTokenTtlMs: number | undefined
  /** `max-age` of the JWK Set (JWKIT_JWKS_MAX_AGE; default 1h). */
  jwksMaxAgeMs: number | undefined
  /** How long a key is published before it signs (JWKIT_PREPUBLISH; default 2 × jwksMaxAge + 10m). */
  prepublishMs: number | undefined
  adminToken: string | undefined
  logLevel: LogLevel
  /** Serve the workbench (/) and dashboard (/dashboard); false with --no-page or JWKIT_NO_PAGE=1. Default true. */
  page?: boolean
}

/** Parses `30d`, `12h`, `90m`, `45s`, `500ms`, `2w` to milliseconds; anything else → ERR_CONFIG_INVALID. */
export function parseDuration(text: string, what: string): number {
  // 1 to 9 digits and a unit, nothing else (util/duration's strict grammar).
  const parts = readDuration(text.trim(), { units: SHORT_UNITS })
  const ms = parts ? parts.amount * parts.unitMs : NaN
  if (!(ms > 0) || !Number.isSafeInteger(ms)) {
    throw new JwkitError('ERR_CONFIG_INVALID', `${what} must be a positive duration like 30d, 12h, 15m or 30s`)
  }
  return ms
}

/** The lifetime durations of the rotation policy from flags and environment (flag wins); unset ones stay undefined. */
export function policyDurations(
  flags: Pick<ServeFlags, 'max-token-ttl' | 'jwks-max-age' | 'prepublish'>, env: NodeJS.ProcessEnv,
): { maxTokenTtlMs: number | undefined; jwksMaxAgeMs: number | undefined; prepublishMs: number | undefined } {
  const read = (flag: string | undefined, name: string) => {
    const given = pick(flag, env, name)
    return given ? parseDuration(given[0], given[1]) : undefined
  }
  return {
    maxTokenTtlMs: read(flags['max-token-ttl'], 'JWKIT_MAX_TOKEN_TTL'),
    jwksMaxAgeMs: read(flags['jwks-max-age'], 'JWKIT_JWKS_MAX_AGE'),
    prepublishMs: read(flags.prepublish, 'JWKIT_PREPUBLISH'),
  }
}

/** The policy overrides those durations make (what `jwk keys` uses so it agrees with `jwk serve`). */
export function policyFromEnv(env: NodeJS.ProcessEnv): Partial<RotationPolicy> {
  const d = policyDurations({}, env)
  return {
    ...(d.maxTokenTtlMs === undefined ? {} : { maxTokenTtl: d.maxTokenTtlMs }),
    ...(d.jwksMaxAgeMs === undefined ? {} : { jwksMaxAge: d.jwksMaxAgeMs }),
    ...(d.prepublishMs === undefined ? {} : { prepublish: d.prepublishMs }),
  }
}

function pick(flag: string | undefined, env: NodeJS.ProcessEnv, name: string): [string, string] | undefined {
  if (flag !== undefined) return [flag, `--${name.toLowerCase().replace(/^jwkit_/, '').replace(/_/g, '-')}`]
  const value = env[name]
  return value === undefined || value === '' ? undefined : [value, name]
}

/** Resolves flags and environment into a checked configuration. */
export function resolveServeConfig(
  flags: ServeFlags,
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): ServeConfig {
  flags = ownOptions(flags) // own properties only (a polluted Object.prototype changes nothing)
  const store = pick(flags.store, env, 'JWKIT_STORE')?.[0] ?? DEFAULT_STORE

  const hostIn = pick(flags.host, env, 'HOST')
  if (hostIn && !/^[A-Za-z0-9.:\-[\]%]{1,255}$/.test(hostIn[0])) {
    throw new JwkitError('ERR_CONFIG_INVALID', `${hostIn[1]} must be a host name or IP address`)
  }

  const portIn = pick(flags.port, env, 'PORT')
  let port = DEFAULT_PORT
  if (portIn) {
    port = /^\d{1,5}$/.test(portIn[0]) ? Number(portIn[0]) : NaN
    if (!(port >= 0 && port <= 65535)) throw new JwkitError('ERR_CONFIG_INVALID', `${portIn[1]} must be an integer from 0 to 65535`)
  }

  const issuerIn = pick(flags.issuer, env, 'JWKIT_ISSUER')
  let issuer: string | undefined = port === 0 ? undefined : `http://localhost:${port}`
  if (issuerIn) {
    try {
      issuer = checkIssuer(issuerIn[0])
    } catch {
      throw new JwkitError('ERR_CONFIG_INVALID', `${issuerIn[1]} must be an http(s) URL without query, fragment or credentials`)
    }
  }

  const algIn = pick(flags.alg, env, 'JWKIT_ALG')
  let algorithms: string[] | undefined
  if (algIn) {
    algorithms = algIn[0].split(',').map((a) => a.trim())
    if (algorithms.some((a) => !/^[A-Za-z0-9-]{2,32}$/.test(a)) || new Set(algorithms).size !== algorithms.length) {
      throw new JwkitError('ERR_CONFIG_INVALID', `${algIn[1]} must be a comma-separated list of distinct algorithm names, e.g. ES256,RS256`)
    }
  }

  const rotateIn = pick(flags['rotate-every'], env, 'JWKIT_ROTATE_EVERY')
  const rotateEveryMs = rotateIn ? parseDuration(rotateIn[0], rotateIn[1]) : undefined
  const tickIn = pick(flags['tick-every'], env, 'JWKIT_TICK_EVERY')
  const tickIntervalMs = tickIn ? parseDuration(tickIn[0], tickIn[1]) : undefined

  const { maxTokenTtlMs, jwksMaxAgeMs, prepublishMs } = policyDurations(flags, env)

  const levelIn = pick(flags['log-level'], env, 'JWKIT_LOG_LEVEL')
  const logLevel = (levelIn?.[0] ?? 'info') as LogLevel
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    throw new JwkitError('ERR_CONFIG_INVALID', `${levelIn![1]} must be debug, info, warn or error`)
  }

  // A switch: the flag, or the variable as 1/true (off) or 0/false (on).
  let page = true
  if (flags['no-page'] === true) page = false
  else if (env.JWKIT_NO_PAGE !== undefined && env.JWKIT_NO_PAGE !== '') {
    const value = env.JWKIT_NO_PAGE.trim().toLowerCase()
    if (value === '1' || value === 'true') page = false
    else if (value !== '0' && value !== 'false') throw new JwkitError('ERR_CONFIG_INVALID', 'JWKIT_NO_PAGE must be 1, true, 0 or false')
  }

  const tokenValue = env.JWKIT_ADMIN_TOKEN
  const tokenFile = env.JWKIT_ADMIN_TOKEN_FILE
  let adminToken: string | undefined
  if (tokenValue && tokenFile) {
    throw new JwkitError('ERR_CONFIG_INVALID', 'set JWKIT_ADMIN_TOKEN or JWKIT_ADMIN_TOKEN_FILE, not both')
  }
  if (tokenFile) {
    let text: string
    try {
      text = readFile(tokenFile)
    } catch (error) {
      throw new JwkitError('ERR_CONFIG_INVALID', 'JWKIT_ADMIN_TOKEN_FILE cannot be read', {
        detail: { errno: String((error as NodeJS.ErrnoException).code ?? 'unknown') },
      })
    }
    adminToken = text.replace(/\r?\n$/, '')
  } else if (tokenValue) {
    adminToken = tokenValue
  }
  if (adminToken !== undefined) {
    try {
      assertAdminToken(adminToken)
    } catch (error) {
      const source = tokenFile ? 'JWKIT_ADMIN_TOKEN_FILE' : 'JWKIT_ADMIN_TOKEN'
      throw new JwkitError('ERR_CONFIG_INVALID', `${source}: ${(error as Error).message}`)
    }
  }

  return { store, host: hostIn?.[0], port, issuer, algorithms, rotateEveryMs, tickIntervalMs, maxTokenTtlMs, jwksMaxAgeMs, prepublishMs, adminToken, logLevel, page }
}
