/**
 * @module store/manager-signing
 * Signing with a managed key: the record's kid and alg go in the protected header (RFC 7515
 * §4.1.4), and no JWT outlives the policy's `maxTokenTtl` — a longer `expiresIn` is capped, and
 * `tokenLifetime` says so, for the answers that must announce it.
 */
import type { KeyObject } from 'node:crypto'
import { parseDuration } from '../jwt/duration.ts'
import { signJws as signJwsWithKey } from '../jws/sign.ts'
import { signJwt as signJwtWithKey } from '../jwt/sign.ts'
import type { Jwk } from '../jwk/types.ts'
import type { KeyRecord, RotationPolicy, SignJwtWithManagerOptions } from './types.ts'

/** The lifetime a token gets, in seconds, and whether `maxTokenTtl` cut what was asked. */
export function tokenLifetime(policy: RotationPolicy, expiresIn: number | string | undefined): { seconds: number; capped: boolean; maxSeconds: number } {
  const maxSeconds = Math.floor(policy.maxTokenTtl / 1000)
  const asked = expiresIn === undefined ? maxSeconds : parseDuration(expiresIn, 'expiresIn')
  return { seconds: Math.min(asked, maxSeconds), capped: asked > maxSeconds, maxSeconds }
}

export function signJwtWithRecord(
  record: KeyRecord, key: KeyObject | Jwk, claims: Record<string, unknown>,
  options: SignJwtWithManagerOptions, policy: RotationPolicy, nowMs: number,
): Promise<string> {
  return signJwtWithKey(claims, key, {
    alg: record.alg,
    kid: record.kid,
    typ: options.typ,
    expiresIn: tokenLifetime(policy, options.expiresIn).seconds, // policy: no token outlives maxTokenTtl
    iat: Math.floor(nowMs / 1000),
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    ...(options.audience === undefined ? {} : { audience: options.audience }),
    ...(options.subject === undefined ? {} : { subject: options.subject }),
  })
}

export function signJwsWithRecord(
  record: KeyRecord, key: KeyObject | Jwk, payload: Uint8Array | string, header: Record<string, unknown> | undefined,
): Promise<string> {
  return signJwsWithKey(payload, key, { alg: record.alg, kid: record.kid, protectedHeader: header, serialization: 'compact' }) as Promise<string>
}
