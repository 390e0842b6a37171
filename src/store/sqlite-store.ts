/**
 * @module store/sqlite-store
 * `sqlite:PATH` — the embedded default, on better-sqlite3 (loaded only when this scheme is
 * used). WAL mode so readers never block the writer; every write transaction is
 * `BEGIN IMMEDIATE`, which takes the database's write lock before it reads, so two processes on
 * one file (a server and `jwk keys rotate`) serialise their read-decide-write sequences, and
 * `busy_timeout` makes the second one wait instead of failing. A crash mid-transaction leaves
 * the last committed state (SQLite's atomic commit).
 */
import { closeSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import { JwkitError } from '../errors.ts'
import { Mutex } from './memory-store.ts'
import { CREATE_SCHEMA_TABLE, pendingMigrations, renderSql, tableNames } from './migrations.ts'
import { changesToColumns, checkChanges, checkRecord, COLUMNS, recordToValues, rowToRecord, type KeyRow } from './records.ts'
import type { Sealer } from './seal.ts'
import type { KeyRecord, KeyStore, KeyStoreTransaction } from './types.ts'

export interface SqliteStoreOptions {
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

export async function openSqliteStore(path: string, url: string, sealer: Sealer, options: SqliteStoreOptions = {}): Promise<KeyStore> {
  let Database: typeof BetterSqlite3
  try {
    Database = (await import('better-sqlite3')).default
  } catch (error) {
    throw new JwkitError('ERR_STORE_UNAVAILABLE', 'the sqlite: scheme needs the optional dependency better-sqlite3: npm install better-sqlite3@12 (beside a global jwkit: npm install -g better-sqlite3@12)', { cause: error })
  }
  let db: Db | undefined
  try {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
      // A new database file is created owner-only before SQLite opens it; SQLite gives its -wal
      // and -shm files the database file's permissions. An existing file keeps its mode.
      closeSync(openSync(path, 'a', 0o600))
    }
    db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 })
    db.pragma('journal_mode = WAL')
    migrate(db, url)
  } catch (error) {
    db?.close()
    throw sqliteError(error, 'open')
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
            if (info.changes === 0) throw new JwkitError('ERR_STORE_NOT_FOUND', `no key with kid ${JSON.stringify(kid)}`)
            dirty = true
            step('update')
          },
        }
        const result = await fn(tx)
        if (dirty) guard('commit', () => bumpChange.run())
        step('before-commit')
        guard('commit', () => db.exec('COMMIT'))
        step('after-commit')
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
