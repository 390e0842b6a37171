/**
 * @module store/records
 * Shared by every backend: checks of a record before it is written, the row codec of the SQL
 * backends, and the redaction of store URLs (a PostgreSQL URL may carry a password).
 */
import { JwkitError } from '../errors.ts'
import type { Jwk } from '../jwk/types.ts'
import { isJsonObject, parseJsonStrict } from '../util/json.ts'
import type { KeyRecord, KeyState } from './types.ts'

export const KEY_STATES: readonly KeyState[] = ['next', 'active', 'retired', 'revoked', 'removed']

/** Members that make a JWK private (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2; AKP draft). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv', 'seed']

const TIME_FIELDS = ['publishedAt', 'activatedAt', 'retiredAt', 'removedAt'] as const

/** Refuses a record that would break the store's rules (a private member in publicJwk, bad times). */
export function checkRecord(record: KeyRecord): void {
  if (typeof record !== 'object' || record === null) throw new TypeError('record must be an object')
  if (typeof record.kid !== 'string' || record.kid === '' || record.kid.length > 256) throw new TypeError('record.kid must be a non-empty string')
  if (typeof record.alg !== 'string' || record.alg === '') throw new TypeError('record.alg must be a non-empty string')
  if (!KEY_STATES.includes(record.state)) throw new TypeError('record.state is not a key state')
  if (!Number.isSafeInteger(record.createdAt)) throw new TypeError('record.createdAt must be an integer')
  for (const f of TIME_FIELDS) {
    const v = record[f]
    if (v !== null && !Number.isSafeInteger(v)) throw new TypeError(`record.${f} must be an integer or null`)
  }
  checkPublicJwk(record.publicJwk)
  if (!(record.sealed instanceof Uint8Array)) throw new TypeError('record.sealed must be a Uint8Array')
  if (typeof record.kekId !== 'string') throw new TypeError('record.kekId must be a string')
  if (record.activateAt != null && !Number.isSafeInteger(record.activateAt)) throw new TypeError('record.activateAt must be an integer or null')
}

/** Throws ERR_JWK_PRIVATE_MEMBER when a public JWK carries a private member. */
export function checkPublicJwk(jwk: Jwk): void {
  if (!isJsonObject(jwk)) throw new TypeError('record.publicJwk must be a JWK object')
  for (const m of PRIVATE_MEMBERS) {
    // RFC 7517 §4: private members never belong in a public key stored for publication.
    if (Object.hasOwn(jwk, m)) throw new JwkitError('ERR_JWK_PRIVATE_MEMBER', `record.publicJwk carries the private member "${m}"`, { path: `/${m}` })
  }
}

/** Checks the changes of an update; returns them unchanged. */
export function checkChanges(changes: Partial<Omit<KeyRecord, 'kid'>>): Partial<Omit<KeyRecord, 'kid'>> {
  if (typeof changes !== 'object' || changes === null) throw new TypeError('changes must be an object')
  if (changes.state !== undefined && !KEY_STATES.includes(changes.state)) throw new TypeError('changes.state is not a key state')
  if (changes.publicJwk !== undefined) checkPublicJwk(changes.publicJwk)
  if (changes.sealed !== undefined && !(changes.sealed instanceof Uint8Array)) throw new TypeError('changes.sealed must be a Uint8Array')
  if (changes.activateAt != null && !Number.isSafeInteger(changes.activateAt)) throw new TypeError('changes.activateAt must be an integer or null')
  return changes
}

/** A deep copy, so callers never share mutable state with a store. */
export function copyRecord(r: KeyRecord): KeyRecord {
  const { activateAt, ...rest } = r
  return { ...rest, publicJwk: structuredClone(r.publicJwk), sealed: new Uint8Array(r.sealed), ...(activateAt == null ? {} : { activateAt }) }
}

/** A kid for a message: quoted, and cut to 64 characters (a kid is caller input of any length). */
export function quoteKid(kid: string): string {
  const text = typeof kid === 'string' ? kid : String(kid)
  return text.length <= 64 ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, 48))}… (${text.length} characters)`
}

/** A row as both SQL backends store it. */
export interface KeyRow {
  kid: string
  alg: string
  state: string
  created_at: number | string | bigint
  published_at: number | string | bigint | null
  activated_at: number | string | bigint | null
  retired_at: number | string | bigint | null
  removed_at: number | string | bigint | null
  public_jwk: string
  sealed: Uint8Array
  kek_id: string
  activate_at: number | string | bigint | null
}

export const COLUMNS = ['kid', 'alg', 'state', 'created_at', 'published_at', 'activated_at', 'retired_at', 'removed_at', 'public_jwk', 'sealed', 'kek_id', 'activate_at'] as const

const COLUMN_OF: Record<string, string> = {
  alg: 'alg', state: 'state', createdAt: 'created_at', publishedAt: 'published_at', activatedAt: 'activated_at',
  retiredAt: 'retired_at', removedAt: 'removed_at', publicJwk: 'public_jwk', sealed: 'sealed', kekId: 'kek_id', activateAt: 'activate_at',
}

const num = (v: number | string | bigint | null): number | null => (v === null ? null : Number(v))

export function rowToRecord(row: KeyRow): KeyRecord {
  const state = row.state as KeyState
  if (!KEY_STATES.includes(state)) throw new JwkitError('ERR_STORE_STATE_INVALID', `stored key has an unknown state`)
  const jwk = parseJsonStrict(row.public_jwk, { what: 'stored public JWK' })
  if (!isJsonObject(jwk)) throw new JwkitError('ERR_JWK_INVALID', 'stored public JWK is not an object')
  return {
    kid: row.kid,
    alg: row.alg,
    state,
    createdAt: Number(row.created_at),
    publishedAt: num(row.published_at),
    activatedAt: num(row.activated_at),
    retiredAt: num(row.retired_at),
    removedAt: num(row.removed_at),
    publicJwk: jwk as unknown as Jwk,
    sealed: new Uint8Array(row.sealed),
    kekId: row.kek_id,
    ...(row.activate_at === null || row.activate_at === undefined ? {} : { activateAt: Number(row.activate_at) }),
  }
}

export function recordToValues(r: KeyRecord): unknown[] {
  return [r.kid, r.alg, r.state, r.createdAt, r.publishedAt, r.activatedAt, r.retiredAt, r.removedAt, JSON.stringify(r.publicJwk), toBytes(r.sealed), r.kekId, r.activateAt ?? null]
}

/** Column/value pairs of an update, in a stable order. */
export function changesToColumns(changes: Partial<Omit<KeyRecord, 'kid'>>): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = []
  for (const [field, column] of Object.entries(COLUMN_OF)) {
    if (!Object.hasOwn(changes, field)) continue
    const v = (changes as Record<string, unknown>)[field]
    if (v === undefined) continue
    out.push([column, field === 'publicJwk' ? JSON.stringify(v) : field === 'sealed' ? toBytes(v as Uint8Array) : v])
  }
  return out
}

const toBytes = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength)

/** The store URL without credentials, for messages and `KeyStore.url` (the one rule lives in util/redact-url). */
export { redactUrl } from '../util/redact-url.ts'

/** Orders records: by createdAt, then kid (every backend lists in this order). */
export function sortRecords(records: KeyRecord[]): KeyRecord[] {
  return records.sort((a, b) => a.createdAt - b.createdAt || (a.kid < b.kid ? -1 : a.kid > b.kid ? 1 : 0))
}
