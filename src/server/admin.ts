/**
 * @module server/admin
 * The admin API: bearer-token auth (RFC 6750 §2.1) compared in constant time, and the handlers of
 * `GET /admin/keys`, `POST /admin/keys/rotate`, `POST /admin/keys/{kid}/retire|revoke` and
 * `POST /admin/sign`. Answers carry records built from an allowlist (no sealed or private member)
 * and `Cache-Control: no-store` (RFC 9111 §5.2.2.5).
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { JwkitError } from '../errors.ts'
import { tokenLifetime } from '../store/manager-signing.ts'
import { MANAGED_ALGORITHMS } from '../store/rotation.ts'
import type { KeyManager, KeyRecord, SignJwtWithManagerOptions } from '../store/types.ts'
import { readDuration, SHORT_UNITS, type DurationGrammar } from '../util/duration.ts'
import { isJsonObject, parseJsonStrict } from '../util/json.ts'
import { PRIVATE_MEMBERS } from './jwks-response.ts'

/** `expiresIn` of POST /admin/sign as text: 1 to 9 digits, then s, m, h or d (none: seconds). */
const EXPIRES_IN: DurationGrammar = { units: { s: SHORT_UNITS.s!, m: SHORT_UNITS.m!, h: SHORT_UNITS.h!, d: SHORT_UNITS.d! }, defaultUnit: 's' }

/** Shortest admin token accepted: 16 characters (about 96 bits when random base64url). */
export const MIN_ADMIN_TOKEN_LENGTH = 16

export interface AdminAuth {
  /** True when the Authorization field carries the configured bearer token. */
  check(authorization: string | undefined): boolean
}

/** Validates a configured token; throws `ERR_CONFIG_INVALID` (never showing it) when it is unusable. */
export function assertAdminToken(token: string): void {
  if (typeof token !== 'string') throw new TypeError('adminToken must be a string')
  // RFC 6750 §2.1 b64token characters only, so the token survives the Authorization field unchanged.
  if (token.length < MIN_ADMIN_TOKEN_LENGTH || !/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) {
    throw new JwkitError(
      'ERR_CONFIG_INVALID',
      `admin token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters of the RFC 6750 b64token alphabet`,
    )
  }
}

/** Bearer auth: both sides hashed to 32 bytes, then `timingSafeEqual`, so neither length nor prefix leaks. */
export function createAdminAuth(token: string): AdminAuth {
  assertAdminToken(token)
  const expected = createHash('sha256').update(token).digest()
  return {
    check(authorization) {
      if (authorization === undefined) return false
      // RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; the scheme is case-insensitive (RFC 9110 §11.1).
      const match = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization)
      const given = createHash('sha256').update(match ? match[1]! : '').digest()
      return timingSafeEqual(given, expected) && match !== null
    },
  }
}

/** Parses an optional JSON object body (empty body → `{}`); anything else → `ERR_HTTP_BAD_REQUEST`. */
export function parseObjectBody(body: Uint8Array, maxBytes: number): Record<string, unknown> {
  if (body.byteLength === 0) return {}
  let value: unknown
  try {
    value = parseJsonStrict(body, { maxBytes, maxDepth: 16, code: 'ERR_HTTP_BAD_REQUEST', what: 'request body' })
  } catch (error) {
    if (error instanceof JwkitError && error.code === 'ERR_INPUT_TOO_LARGE') {
      throw new JwkitError('ERR_HTTP_BAD_REQUEST', 'request body nests too deep or is too large')
    }
    throw error
  }
  if (!isJsonObject(value)) throw new JwkitError('ERR_HTTP_BAD_REQUEST', 'request body must be a JSON object')
  return value
}

/** The admin view of a record: an allowlist of members; the public JWK is re-checked for private members. */
export function adminKeyView(record: KeyRecord): Record<string, unknown> {
  const publicJwk: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(record.publicJwk)) if (!PRIVATE_MEMBERS.has(name)) publicJwk[name] = value
  return {
    kid: record.kid,
    alg: record.alg,
    state: record.state,
    createdAt: record.createdAt,
    publishedAt: record.publishedAt,
    activatedAt: record.activatedAt,
    retiredAt: record.retiredAt,
    removedAt: record.removedAt,
    activateAt: record.activateAt ?? null, // a next key's scheduled activation
    publicJwk,
  }
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) {
    throw new JwkitError('ERR_HTTP_BAD_REQUEST', `member ${name} must be a non-empty string`)
  }
  return value
}

function optionalBoolean(body: Record<string, unknown>, name: string): boolean {
  const value = body[name]
  if (value === undefined) return false
  if (typeof value !== 'boolean') throw new JwkitError('ERR_HTTP_BAD_REQUEST', `member ${name} must be true or false`)
  return value
}

/** `POST /admin/sign` body: `{ claims: object, alg?, typ?, expiresIn?: number | string, audience?, subject? }`. */
export function parseSignRequest(
  body: Record<string, unknown>,
  issuer: string | undefined,
): { claims: Record<string, unknown>; options: SignJwtWithManagerOptions } {
  const claims = body.claims ?? {}
  if (!isJsonObject(claims)) throw new JwkitError('ERR_HTTP_BAD_REQUEST', 'member claims must be a JSON object')
  for (const name of Object.keys(body)) {
    if (!['claims', 'alg', 'typ', 'expiresIn', 'audience', 'subject'].includes(name)) {
      throw new JwkitError('ERR_HTTP_BAD_REQUEST', `member ${JSON.stringify(name).slice(0, 64)} is not understood`)
    }
  }
  // RFC 7519 §4.1.1: the key server signs for its own issuer only.
  if (claims.iss !== undefined && claims.iss !== issuer) {
    throw new JwkitError('ERR_HTTP_BAD_REQUEST', 'claim iss must be absent or equal to the server issuer')
  }
  // A number beyond a double parses as ±Infinity, which a JWT would carry as null: refuse it.
  const beyond = nonFinitePath(claims, '/claims', 0)
  if (beyond !== undefined) throw new JwkitError('ERR_HTTP_BAD_REQUEST', `member ${beyond.slice(0, 64)} is a number beyond the range of a double`)
  const options: SignJwtWithManagerOptions = {}
  const alg = optionalString(body, 'alg')
  const typ = optionalString(body, 'typ')
  // RFC 7515 §4.1.9: typ is a media type (RFC 2045 token "/" token, or the short form without "application/").
  if (typ !== undefined && !/^[A-Za-z0-9!#$&^_.+-]{1,64}(\/[A-Za-z0-9!#$&^_.+-]{1,64})?$/.test(typ)) {
    throw new JwkitError('ERR_HTTP_BAD_REQUEST', 'member typ must be a media type such as "JWT" or "at+jwt" (RFC 7515 §4.1.9)')
  }
  const subject = optionalString(body, 'subject')
  if (alg !== undefined) options.alg = alg
  if (typ !== undefined) options.typ = typ
  if (subject !== undefined) options.subject = subject
  if (issuer !== undefined) options.issuer = issuer
  const { expiresIn, audience } = body
  if (expiresIn !== undefined) {
    // The same rule for both spellings: a positive whole number of seconds ("0" is refused as 0 is).
    const text = typeof expiresIn === 'string' ? readDuration(expiresIn, EXPIRES_IN) : undefined
    const ok = (typeof expiresIn === 'number' && Number.isSafeInteger(expiresIn) && expiresIn > 0) ||
      (text !== undefined && text.amount > 0 && Number.isSafeInteger(text.amount * text.unitMs))
    if (!ok) throw new JwkitError('ERR_HTTP_BAD_REQUEST', 'member expiresIn must be positive seconds or a duration like "10m"')
    options.expiresIn = expiresIn as number | string
  }
  if (audience !== undefined) {
    const ok = typeof audience === 'string' ||
      (Array.isArray(audience) && audience.length > 0 && audience.length <= 32 && audience.every((a) => typeof a === 'string'))
    if (!ok) throw new JwkitError('ERR_HTTP_BAD_REQUEST', 'member audience must be a string or an array of strings')
    options.audience = audience as string | string[]
  }
  return { claims, options }
}

/** The JSON-pointer path of the first number that is not finite (±Infinity from a literal beyond a double), if any. */
function nonFinitePath(value: unknown, path: string, depth: number): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path
  if (typeof value !== 'object' || value === null || depth > 32) return undefined
  for (const [k, v] of Object.entries(value)) {
    const found = nonFinitePath(v, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth + 1)
    if (found !== undefined) return found
  }
  return undefined
}

/** Reads the kid and alg a compact JWS announces (its own output; for the answer only). */
export function headerOf(token: string): { kid?: string; alg?: string } {
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8')) as Record<string, unknown>
    return {
      ...(typeof header.kid === 'string' ? { kid: header.kid } : {}),
      ...(typeof header.alg === 'string' ? { alg: header.alg } : {}),
    }
  } catch {
    return {}
  }
}

/** An `alg` member must name one of the policy's lifecycles (a client mistake otherwise, not a 5xx). */
function policyAlg(manager: KeyManager, alg: string | undefined): string | undefined {
  if (alg !== undefined && !manager.policy.algorithms.includes(alg)) {
    throw new JwkitError('ERR_HTTP_BAD_REQUEST', `member alg must be one of the server's algorithms (${manager.policy.algorithms.join(', ')})`)
  }
  return alg
}

/** The admin actions, each returning the JSON value to answer with. */
export const adminActions = {
  list(manager: KeyManager): unknown {
    const s = manager.status()
    return {
      keys: manager.keys().map(adminKeyView),
      status: { storeReachable: s.storeReachable, lastSyncAt: s.lastSyncAt ?? null, rotations: s.rotations, storeErrors: s.storeErrors },
      policy: { ...manager.policy }, // durations in ms: what the dashboard draws the lifecycle from
    }
  },
  /**
   * `POST /admin/keys/rotate` body `{ alg?, now?: boolean, add?: boolean }`. Answers the keys
   * signing after the call (`active`) and per algorithm what happened (`rotations`: activated,
   * scheduled with `activateAt`, forced, started).
   */
  async rotate(manager: KeyManager, body: Record<string, unknown>): Promise<{ active: unknown[]; rotations: Array<Record<string, unknown>> }> {
    for (const name of Object.keys(body)) {
      if (!['alg', 'now', 'add'].includes(name)) throw new JwkitError('ERR_HTTP_BAD_REQUEST', `member ${JSON.stringify(name).slice(0, 64)} is not understood (alg, now, add)`)
    }
    const now = optionalBoolean(body, 'now')
    const add = optionalBoolean(body, 'add')
    const given = optionalString(body, 'alg')
    if (add && given === undefined) throw new JwkitError('ERR_HTTP_BAD_REQUEST', 'member add needs member alg')
    const alg = add ? given : policyAlg(manager, given)
    if (add && !MANAGED_ALGORITHMS.includes(alg!)) throw new JwkitError('ERR_HTTP_BAD_REQUEST', 'member alg must name an asymmetric signing algorithm')
    const outcomes = await manager.rotateKeys({ ...(alg === undefined ? {} : { alg }), now, add })
    return {
      active: outcomes.flatMap((o) => (o.active === undefined ? [] : [adminKeyView(o.active)])),
      rotations: outcomes.map((o) => ({
        alg: o.alg,
        outcome: o.outcome,
        active: o.active?.kid ?? null,
        next: o.next?.kid ?? null,
        activateAt: o.activateAt ?? null,
      })),
    }
  },
  async retire(manager: KeyManager, kid: string): Promise<unknown> {
    return { key: adminKeyView(await manager.retire(kid)) }
  },
  async revoke(manager: KeyManager, kid: string): Promise<unknown> {
    return { key: adminKeyView(await manager.revoke(kid)) }
  },
  async sign(manager: KeyManager, body: Record<string, unknown>, issuer: string | undefined): Promise<unknown> {
    const { claims, options } = parseSignRequest(body, issuer)
    policyAlg(manager, options.alg)
    const lifetime = tokenLifetime(manager.policy, options.expiresIn)
    const token = await manager.signJwt(claims, options)
    // The lifetime the token got; when the policy's maxTokenTtl cut what was asked, the answer says so.
    return {
      token, ...headerOf(token), expiresIn: lifetime.seconds,
      ...(lifetime.capped ? { capped: { maxTokenTtl: lifetime.maxSeconds, asked: options.expiresIn } } : {}),
    }
  },
}
