/**
 * @module store/open-key-store
 * `openKeyStore(url)`: `sqlite:PATH` (embedded default), `postgres://…` / `postgresql://…`,
 * `memory:`. The database drivers are imported only when their scheme is used, so a library
 * user who never opens a store never loads them. KEKs: see store/keks.
 */
import { isAbsolute, resolve } from 'node:path'
import { JwkitError } from '../errors.ts'
import { ephemeralKeks, kekSourceOf, requiredKeks, sqliteKeks, type KekSource, type StoreLogger } from './keks.ts'
import { createMemoryStore } from './memory-store.ts'
import { openPostgresStore, type PostgresStoreOptions } from './postgres-store.ts'
import { redactUrl } from './records.ts'
import { createSealer, publicOnlySealer } from './seal.ts'
import { openSqliteStore, type SqliteStoreOptions } from './sqlite-store.ts'
import type { KeyStore } from './types.ts'
import { ownOptions } from '../util/dict.ts'

export interface OpenKeyStoreOptions extends KekSource, PostgresStoreOptions {
  /** Where warnings go (default: `console.warn`). */
  logger?: StoreLogger
  /** SQLite: how long a writer waits for another process's lock, in ms (default 5000). */
  busyTimeoutMs?: number
  /** Test hook (SQLite): called between the steps of a write transaction. */
  onStep?: SqliteStoreOptions['onStep']
  /**
   * Open an existing store only (read-only commands): a missing SQLite file or PostgreSQL schema
   * is ERR_STORE_MISSING (exit 1) saying the store does not exist; no directory, database or KEK is created.
   */
  mustExist?: boolean
  /**
   * The caller reads public keys and key states only (`list`, the published set): no KEK is read
   * or needed — a PostgreSQL store opens without `JWKIT_KEK`, a SQLite store creates no KEK file —
   * and anything that seals or unseals a private key fails with ERR_KEK_MISSING.
   */
  publicOnly?: boolean
}

/** Default store of the CLI and the server. */
export const DEFAULT_STORE_URL = 'sqlite:./data/keys.db'

/** The path of a `sqlite:` URL (`sqlite:./keys.db`, `sqlite:/abs/keys.db`, `sqlite:///abs/keys.db`, `sqlite::memory:`). */
export function sqlitePath(url: string): string {
  let rest = url.slice('sqlite:'.length)
  if (rest.startsWith('//')) rest = rest.slice(2)
  if (rest === '' || rest.includes('\0')) throw new JwkitError('ERR_STORE_URL_INVALID', 'a sqlite: store URL needs a file path, e.g. sqlite:./data/keys.db')
  if (rest === ':memory:') return rest
  return isAbsolute(rest) ? rest : resolve(rest)
}

/** Opens (and migrates) a key store. */
export async function openKeyStore(url: string, options: OpenKeyStoreOptions = {}): Promise<KeyStore> {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  if (typeof url !== 'string') throw new TypeError('store url must be a string')
  const logger = options.logger ?? { warn: (m: string) => console.warn(m) }
  const source: KekSource = { keks: options.keks, env: options.env, logger }
  const publicOnly = options.publicOnly === true
  if (url === 'memory:' || url.startsWith('memory:')) {
    return createMemoryStore(createSealer(ephemeralKeks(source)), url)
  }
  if (url.startsWith('sqlite:')) {
    const path = sqlitePath(url)
    const mustExist = options.mustExist === true
    const sealerFor = (sealedKeys: number) => publicOnly ? publicOnlySealer() : createSealer(sqliteKeks(path, source, { sealedKeys, create: !mustExist }))
    const store = await openSqliteStore(path, url, sealerFor, {
      busyTimeoutMs: options.busyTimeoutMs, onStep: options.onStep, mustExist,
    })
    return Object.assign(store, { kekSource: kekSourceOf(source, path) })
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    try {
      new URL(url)
    } catch {
      throw new JwkitError('ERR_STORE_URL_INVALID', 'the postgres: store URL is malformed')
    }
    const label = redactUrl(url)
    const sealer = publicOnly ? publicOnlySealer() : createSealer(requiredKeks(source, 'a PostgreSQL key store'))
    return Object.assign(await openPostgresStore(url, label, sealer, options), { kekSource: kekSourceOf(source) })
  }
  throw new JwkitError('ERR_STORE_URL_INVALID', 'the key store URL must start with sqlite:, postgres://, postgresql:// or memory:')
}
