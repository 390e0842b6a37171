/**
 * @module store/import-key
 * `importKey(store, jwk, options?)`: brings an existing private signing key into a key store,
 * treated exactly like a generated one — its RFC 7638 thumbprint as `kid`, published from the
 * allowlist of public members, sealed under the store's KEK — in state `next`, so it is published
 * first and only starts signing at a later rotation (never a key that verifiers have not seen).
 */
import { JwkitError } from '../errors.ts'
import { algorithmMisfit } from '../jwk/algorithms.ts'
import { parseJwk } from '../jwk/parse.ts'
import { isPrivateJwk } from '../jwk/public.ts'
import { thumbprint } from '../jwk/thumbprint.ts'
import type { Jwk } from '../jwk/types.ts'
import { ownSnapshot } from '../util/dict.ts'
import { publishedJwk } from './apply-actions.ts'
import { MANAGED_ALGORITHMS } from './rotation.ts'
import type { KeyRecord, KeyStore } from './types.ts'

export interface ImportKeyOptions {
  /** The signing algorithm; default: the key's `alg`. One of the algorithms the store manages. */
  alg?: string
  /** The import time in ms (tests); default now. */
  now?: number
}

/** Imports a private signing key as a `next` key; returns the stored record (no private material). */
export async function importKey(store: KeyStore, jwk: object, options: ImportKeyOptions = {}): Promise<KeyRecord> {
  if (typeof options !== 'object' || options === null) throw new TypeError('importKey: options must be an object')
  const o = ownSnapshot(options) as ImportKeyOptions
  const sealer = store.sealer
  if (sealer === undefined) throw new JwkitError('ERR_KEK_MISSING', 'the key store has no sealer (open it with openKeyStore)')
  const key: Jwk = parseJwk(jwk)
  if (key.kty === 'oct' || !isPrivateJwk(key)) throw new JwkitError('ERR_JWK_INVALID', `the store imports private asymmetric signing keys; this is ${key.kty === 'oct' ? 'an oct (symmetric) key' : 'a public key'}`)
  if (key.use !== undefined && key.use !== 'sig') throw new JwkitError('ERR_KEY_USAGE_FORBIDDEN', `the key's use is ${JSON.stringify(key.use)}, not "sig"`, { path: '/use' })
  if (key.key_ops !== undefined && !key.key_ops.includes('sign')) throw new JwkitError('ERR_KEY_USAGE_FORBIDDEN', 'the key\'s key_ops do not include "sign"', { path: '/key_ops' })
  const alg = o.alg ?? key.alg
  if (alg === undefined) throw new TypeError(`importKey: the key has no "alg"; give options.alg (one of ${MANAGED_ALGORITHMS.join(', ')})`)
  if (typeof alg !== 'string' || !MANAGED_ALGORITHMS.includes(alg)) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `the store manages ${MANAGED_ALGORITHMS.join(', ')}; not ${JSON.stringify(String(alg).slice(0, 40))}`)
  if (key.alg !== undefined && key.alg !== alg) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `the key's alg is ${key.alg}, not ${alg}`, { path: '/alg' })
  const misfit = algorithmMisfit(key, alg)
  if (misfit !== undefined) throw new JwkitError('ERR_ALG_NOT_ALLOWED', misfit.message, { path: `/${misfit.member}` })
  const now = o.now ?? Date.now()
  const kid = thumbprint(key) // RFC 7638 §1: the thumbprint is the kid, as for generated keys
  const { sealed, kekId } = sealer.seal(kid, { ...key, kid, alg, use: 'sig' } as Jwk)
  const record: KeyRecord = {
    kid, alg, state: 'next', createdAt: now, publishedAt: now, activatedAt: null, retiredAt: null, removedAt: null,
    publicJwk: publishedJwk(key, kid, alg), sealed, kekId,
  }
  await store.transaction(async (tx) => {
    if ((await tx.list()).some((r) => r.kid === kid)) throw new JwkitError('ERR_STORE_KID_CONFLICT', `the store already holds this key (kid ${kid})`)
    await tx.insert(record)
  })
  return { ...record, sealed: new Uint8Array(0) }
}
