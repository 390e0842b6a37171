/**
 * @module store/sqlite-store
 * `sqlite:PATH` — the embedded default, on better-sqlite3 (loaded only when this scheme is
 * used). WAL mode so readers never block the writer; every write transaction is
 * `BEGIN IMMEDIATE`, which takes the database's write lock before it reads, so two processes on
 * one file (a server and `jwk keys rotate`) serialise their read-decide-write sequences, and
 * `busy_timeout` makes the second one wait instead of failing. A crash mid-transaction leaves
 * the last committed state (SQLite's atomic commit).
 */
import { randomBytes } from 'node:crypto'
import { closeSync, linkSync, openSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import { JwkitError } from '../errors.ts'
import { Mutex } from './mutex.ts'
import { inspectDatabaseFile, makeDirectory } from './store-files.ts'
import { CREATE_SCHEMA_TABLE, pendingMigrations, renderSql, tableNames } from './migrations.ts'
import { changesToColumns, checkChanges, checkRecord, COLUMNS, quoteKid, recordToValues, rowToRecord, type KeyRow } from './records.ts'
import type { Sealer } from './seal.ts'
import type { KeyRecord, KeyStore, KeyStoreTransaction } from './types.ts'

export interface SqliteStoreOptions {
  /** Open an existing store only: a missing file is ERR_STORE_UNAVAILABLE, and nothing is created. */
  mustExist?: boolean
  /** How long a writer waits for another process's lock, in ms (default 5000). */
  busyTimeoutMs?: number
  /** Test hook: called between the steps of a write transaction (crash injection). */
  onStep?: (step: string) => void
}

type Db = BetterSqlite3.Database

/** Maps a better-sqlite3 error to a JwkitError (the driver error is kept as the cause). */
export function sqliteError(error: unknown, what: string): unknown {
  if (error instanceof JwkitError || error instanceof TypeError) return error
  const code = String((error as { code?: unknown })?.code ?? '')
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return new JwkitError('ERR_STORE_KID_CONFLICT', `${what}: a key with that kid already exists`, { cause: error })
  if (code === 'SQLITE_CONSTRAINT_UNIQUE') return new JwkitError('ERR_STORE_STATE_INVALID', `${what}: a second active key for one algorithm is not allowed`, { cause: error })
  if (code.startsWith('SQLITE_CONSTRAINT')) return new JwkitError('ERR_STORE_STATE_INVALID', `${what}: the store refused the change (${code})`, { cause: error })
  return new JwkitError('ERR_STORE_UNAVAILABLE', `${what}: the SQLite store failed (${code || 'error'})`, { cause: error })
}

/** Refuses what is at `path` when it is not a jwkit store; says when nothing is there. */
function refuse(path: string, why: string): JwkitError {
  return new JwkitError('ERR_STORE_UNAVAILABLE', `the SQLite key store ${path} ${why}`)
}

/**
 * Creates a new, migrated database at `path` atomically: built under a temporary name beside it
 * (mode 0600), then hard-linked into place, so no process ever sees a half-made store (and a
 * 0-byte file at `path` is never one of ours). Returns false when another process made it first.
 */
function createDatabase(Database: typeof BetterSqlite3, path: string, url: string): boolean {
  makeDirectory(dirname(path))
  const tmp = `${path}.new-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    closeSync(openSync(tmp, 'wx', 0o600))
    const db = new Database(tmp)
    try {
      db.pragma('journal_mode = WAL')
      migrate(db, url)
    } finally {
      db.close() // checkpoints the WAL into the file and removes it
    }
    try {
      linkSync(tmp, path)
      return true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw error
    }
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true })
  }
}

/**
 * Opens the store at `path`. `sealerFor` receives the number of sealed keys the database holds
 * (so a missing KEK is an error for a database with keys, and a new one only for an empty one).
 * `mustExist`: a missing file is an error, and nothing is created.
 */
export async function openSqliteStore(path: string, url: string, sealerFor: Sealer | ((sealedKeys: number) => Sealer), options: SqliteStoreOptions = {}): Promise<KeyStore> {
  let Database: typeof BetterSqlite3
  try {
    Database = (await import('better-sqlite3')).default
  } catch (error) {
    throw new JwkitError('ERR_STORE_UNAVAILABLE', 'the sqlite: scheme needs the optional dependency better-sqlite3: npm install better-sqlite3@12 (beside a global jwkit: npm install -g better-sqlite3@12)', { cause: error })
  }
  if (path !== ':memory:') {
    const found = inspectDatabaseFile(path)
    if (found === 'missing') {
      if (options.mustExist) throw new JwkitError('ERR_STORE_MISSING', `the SQLite key store ${path} does not exist (check the --store path; jwk keys rotate or jwk serve creates a store)`)
      try {
        createDatabase(Database, path, url)
      } catch (error) {
        throw error instanceof JwkitError ? error : new JwkitError('ERR_STORE_UNAVAILABLE', `cannot create the SQLite key store ${path} (${String((error as { code?: unknown }).code ?? 'error')})`, { cause: error })
      }
    } else if (found === 'empty') {
      throw refuse(path, 'is an empty file, not a jwkit key store; refusing to initialise it (restore the database from its backup, or remove the file to start a new store)')
    } else if (found === 'foreign') {
      throw refuse(path, 'is not an SQLite database; refusing to use it (check the --store path)')
    }
  }
  let db: Db | undefined
  let sealer: Sealer
  try {
    db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000, fileMustExist: path !== ':memory:' })
    db.pragma('journal_mode = WAL')
    // Deleted and overwritten content is zeroed, so a shredded sealed key leaves no copy in free space.
    db.pragma('secure_delete = ON')
    if (path !== ':memory:' && db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'jwkit_schema'`).get() === undefined) {
      throw refuse(path, 'holds no jwkit key store (no jwkit_schema table); refusing to initialise it (check the --store path)')
    }
    migrate(db, url)
    const sealedKeys = (db.prepare(`SELECT COUNT(*) AS n FROM jwkit_keys WHERE length(sealed) > 0`).get() as { n: number }).n
    sealer = typeof sealerFor === 'function' ? sealerFor(sealedKeys) : sealerFor
  } catch (error) {
    db?.close()
    if (error instanceof JwkitError) throw error
    const mapped = sqliteError(error, 'open')
    throw mapped instanceof JwkitError && mapped.code === 'ERR_STORE_UNAVAILABLE'
      ? new JwkitError('ERR_STORE_UNAVAILABLE', `${mapped.message} at ${path}`, { cause: error })
      : mapped
  }
  return sqliteStore(db, url, sealer, options)
}

function sqliteStore(db: Db, url: string, sealer: Sealer, options: SqliteStoreOptions): KeyStore {
  const names = tableNames('')
  const sql = (s: string) => renderSql(s, 'sqlite', names)
  const selectAll = db.prepare(sql(`SELECT ${COLUMNS.join(', ')} FROM {{keys}} ORDER BY created_at, kid`))
  const selectOne = db.prepare(sql(`SELECT ${COLUMNS.join(', ')} FROM {{keys}} WHERE kid = ?`))
  const insertRow = db.prepare(sql(`INSERT INTO {{keys}} (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`))
  const selectChange = db.prepare(sql(`SELECT value FROM {{meta}} WHERE name = 'change'`))
  const bumpChange = db.prepare(sql(`UPDATE {{meta}} SET value = value + 1 WHERE name = 'change'`))
  const mutex = new Mutex()
  let closed = false
  const step = options.onStep ?? (() => {})

  const guard = <T>(what: string, fn: () => T): T => {
    if (closed) throw new JwkitError('ERR_STORE_UNAVAILABLE', 'the key store is closed')
    try {
      return fn()
    } catch (error) {
      throw sqliteError(error, what)
    }
  }
  const listRows = () => (selectAll.all() as KeyRow[]).map(rowToRecord)

  const store: KeyStore = {
    url,
    sealer,
    list: () => mutex.run(async () => guard('list', listRows)),
    get: (kid) => mutex.run(async () => guard('get', () => {
      const row = selectOne.get(kid) as KeyRow | undefined
      return row && rowToRecord(row)
    })),
    insert: (record) => store.transaction(async (tx) => tx.insert(record)),
    transaction: (fn) => mutex.run(async () => {
      guard('begin', () => db.exec('BEGIN IMMEDIATE'))
      let dirty = false
      let shredded = false
      try {
        step('begin')
        const tx: KeyStoreTransaction = {
          list: async () => guard('list', listRows),
          insert: async (record: KeyRecord) => {
            checkRecord(record)
            guard('insert', () => insertRow.run(...recordToValues(record)))
            dirty = true
            step('insert')
          },
          update: async (kid, changes) => {
            const cols = changesToColumns(checkChanges(changes))
            if (cols.length === 0) return
            const info = guard('update', () =>
              db.prepare(sql(`UPDATE {{keys}} SET ${cols.map(([c]) => `${c} = ?`).join(', ')} WHERE kid = ?`)).run(...cols.map(([, v]) => v), kid))
            if (info.changes === 0) throw new JwkitError('ERR_STORE_NOT_FOUND', `no key with kid ${quoteKid(kid)}`)
            dirty = true
            if (changes.sealed !== undefined && changes.sealed.byteLength === 0) shredded = true
            step('update')
          },
        }
        const result = await fn(tx)
        if (dirty) guard('commit', () => bumpChange.run())
        step('before-commit')
        guard('commit', () => db.exec('COMMIT'))
        step('after-commit')
        if (shredded) {
          // The WAL still holds the page images from before the change: move them into the
          // (secure_delete) database file and empty the WAL. Best effort: another process's open
          // read transaction can hold frames back; the next shredding checkpoint retries.
          try {
            db.pragma('wal_checkpoint(TRUNCATE)')
          } catch {
            // committed already; the checkpoint is an optimisation of erasure, not of correctness
          }
        }
        return result
      } catch (error) {
        if (db.inTransaction) {
          try {
            db.exec('ROLLBACK')
          } catch {
            // the transaction is already gone (SQLite rolls back on some errors by itself)
          }
        }
        throw error
      }
    }),
    version: () => mutex.run(async () => guard('version', () => String((selectChange.get() as { value: number }).value))),
    close: () => mutex.run(async () => {
      if (closed) return
      closed = true
      db.close()
    }),
  }
  return store
}

function migrate(db: Db, url: string): void {
  const names = tableNames('')
  db.exec('BEGIN IMMEDIATE')
  try {
    db.exec(renderSql(CREATE_SCHEMA_TABLE, 'sqlite', names))
    const row = db.prepare('SELECT MAX(version) AS v FROM jwkit_schema').get() as { v: number | null }
    for (const m of pendingMigrations(row.v ?? 0, url)) {
      for (const statement of m.statements) db.exec(renderSql(statement, 'sqlite', names))
      db.prepare('INSERT INTO jwkit_schema (version, applied_at) VALUES (?, ?)').run(m.version, Date.now())
    }
    db.exec('COMMIT')
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK')
    throw error
  }
}
