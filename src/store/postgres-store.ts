/**
 * @module store/postgres-store
 * `postgres://…` — the scale-out store, on `pg` (loaded only when this scheme is used). Several
 * processes share it; jwkit grows no consensus of its own, PostgreSQL is the engine.
 *
 * Every write transaction first takes `SELECT … FOR UPDATE` on the single change-counter row
 * of `jwkit_meta`, then re-reads and decides. Why a row lock and not `pg_advisory_xact_lock`:
 * both serialise the read-decide-write (a per-row `FOR UPDATE` on the keys alone would not, since
 * "no next key exists yet" is a decision about a row that does not exist), but the row lock also
 * works on PostgreSQL-compatible engines without advisory locks (CockroachDB), is released by
 * COMMIT, ROLLBACK or a dropped connection, and the same row carries the change counter that
 * pollers compare. A committed change sends `NOTIFY` on a per-schema channel for immediacy;
 * managers also poll `version()` as the fallback.
 */
import type pg from 'pg'
import { JwkitError } from '../errors.ts'
import { CREATE_SCHEMA_TABLE, pendingMigrations, renderSql, schemaTable, tableNames } from './migrations.ts'
import { changesToColumns, checkChanges, checkRecord, COLUMNS, quoteKid, recordToValues, rowToRecord, type KeyRow } from './records.ts'
import type { Sealer } from './seal.ts'
import type { KeyRecord, KeyStore, KeyStoreTransaction } from './types.ts'

export interface PostgresStoreOptions {
  /** PostgreSQL schema holding the tables (default `public`; also `?schema=` in the URL). */
  schema?: string
  /** Pool size (default 4). */
  maxConnections?: number
  /** Connection timeout in ms (default 5000). */
  connectTimeoutMs?: number
  /** Query timeout in ms (default 10000), so an unreachable server fails instead of hanging. */
  queryTimeoutMs?: number
  /** Delay before re-LISTENing after the notification connection drops, in ms (default 1000). */
  listenRetryMs?: number
  /**
   * How often the LISTEN connection is checked with a query, in ms (default 30000). A connection
   * lost silently (no FIN, no RST: a NAT or firewall forgot it) fails the check within the
   * query timeout and is replaced; TCP keepalive probes (after 10 s idle) back it up.
   */
  listenHeartbeatMs?: number
  /** Open an existing store only: no jwkit tables in the schema is ERR_STORE_UNAVAILABLE, and nothing is created. */
  mustExist?: boolean
}

/** Maps a pg error to a JwkitError (the driver error is kept as the cause). */
export function postgresError(error: unknown, what: string): unknown {
  if (error instanceof JwkitError || error instanceof TypeError) return error
  const e = error as { code?: unknown; constraint?: unknown }
  const code = typeof e?.code === 'string' ? e.code : ''
  if (code === '23505') {
    return String(e.constraint ?? '').includes('one_active')
      ? new JwkitError('ERR_STORE_STATE_INVALID', `${what}: a second active key for one algorithm is not allowed`, { cause: error })
      : new JwkitError('ERR_STORE_KID_CONFLICT', `${what}: a key with that kid already exists`, { cause: error })
  }
  if (code.startsWith('23')) return new JwkitError('ERR_STORE_STATE_INVALID', `${what}: the store refused the change (${code})`, { cause: error })
  return new JwkitError('ERR_STORE_UNAVAILABLE', `${what}: the PostgreSQL store failed (${code || 'connection'})`, { cause: error })
}

export async function openPostgresStore(url: string, label: string, sealer: Sealer, options: PostgresStoreOptions = {}): Promise<KeyStore> {
  let pgModule: typeof pg
  try {
    pgModule = (await import('pg')).default
  } catch (error) {
    throw new JwkitError('ERR_STORE_UNAVAILABLE', 'the postgres: scheme needs the optional dependency pg (npm install pg)', { cause: error })
  }
  const parsed = new URL(url)
  const schema = options.schema ?? parsed.searchParams.get('schema') ?? ''
  parsed.searchParams.delete('schema')
  const names = tableNames(schema === 'public' ? '' : schema)
  const config: pg.PoolConfig = {
    connectionString: parsed.toString(),
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    query_timeout: options.queryTimeoutMs ?? 10000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  }
  const pool = new pgModule.Pool(config)
  pool.on('error', () => {}) // an idle client lost its connection: the next query reports it
  try {
    await migrate(pool, names, label, options.mustExist === true)
  } catch (error) {
    await pool.end().catch(() => {})
    throw postgresError(error, 'open')
  }
  return postgresStore(pgModule, pool, config, names, label, sealer, options)
}

async function migrate(pool: pg.Pool, names: ReturnType<typeof tableNames>, label: string, mustExist: boolean): Promise<void> {
  const client = await pool.connect()
  client.on('error', () => {}) // reported by the failing query
  try {
    if (mustExist) {
      const { rows } = await client.query('SELECT to_regclass($1) AS t', [schemaTable(names)])
      if (rows[0]?.t == null) {
        throw new JwkitError('ERR_STORE_MISSING', `the key store ${label} does not exist (no jwkit tables in schema ${names.schema || 'public'}); check the --store URL`)
      }
    }
    await client.query('BEGIN')
    // Concurrent first opens: one migrates, the others wait and then find it done.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`jwkit_migrate:${names.schema}`])
    if (names.schema !== '') await client.query(`CREATE SCHEMA IF NOT EXISTS "${names.schema}"`)
    await client.query(renderSql(CREATE_SCHEMA_TABLE, 'postgres', names))
    const { rows } = await client.query(`SELECT MAX(version) AS v FROM ${schemaTable(names)}`)
    for (const m of pendingMigrations(Number(rows[0]?.v ?? 0), label)) {
      for (const statement of m.statements) await client.query(renderSql(statement, 'postgres', names))
      await client.query(`INSERT INTO ${schemaTable(names)} (version, applied_at) VALUES ($1, $2)`, [m.version, Date.now()])
    }
    await client.query('COMMIT')
    client.release()
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    client.release(true)
    throw error
  }
}

function postgresStore(
  pgModule: typeof pg, pool: pg.Pool, config: pg.PoolConfig, names: ReturnType<typeof tableNames>,
  label: string, sealer: Sealer, options: PostgresStoreOptions,
): KeyStore {
  const sql = (s: string) => renderSql(s, 'postgres', names)
  const channel = `jwkit_${names.schema || 'public'}`
  const selectAll = sql(`SELECT ${COLUMNS.join(', ')} FROM {{keys}} ORDER BY created_at, kid`)
  let closed = false
  const live = () => {
    if (closed) throw new JwkitError('ERR_STORE_UNAVAILABLE', 'the key store is closed')
  }
  const query = async (what: string, text: string, values?: unknown[]) => {
    live()
    try {
      return await pool.query(text, values)
    } catch (error) {
      throw postgresError(error, what)
    }
  }
  const watchers = new Set<() => void>()
  let listener: pg.Client | undefined
  let listenerStop: (() => void) | undefined
  let retry: NodeJS.Timeout | undefined
  const startListening = () => {
    if (closed || listener || watchers.size === 0) return
    const client = new pgModule.Client({ ...config })
    listener = client
    let listening = false
    const heartbeat = setInterval(() => {
      if (listener === client && listening) client.query('SELECT 1').catch(drop)
    }, options.listenHeartbeatMs ?? 30_000)
    heartbeat.unref()
    const drop = () => {
      clearInterval(heartbeat)
      if (listener !== client) return
      listener = undefined
      client.end().catch(() => {})
      // end() waits for the server, which a silently lost connection never answers: cut the socket.
      ;(client as unknown as { connection?: { stream?: { destroy?: () => void } } }).connection?.stream?.destroy?.()
      if (!closed && watchers.size > 0) {
        retry = setTimeout(startListening, options.listenRetryMs ?? 1000)
        retry.unref()
        for (const w of watchers) w() // changes may have been missed: let watchers re-check
      }
    }
    client.on('error', drop)
    client.on('end', drop)
    client.on('notification', (msg) => {
      if (msg.channel === channel) for (const w of watchers) w()
    })
    client.connect().then(() => client.query(`LISTEN "${channel}"`)).then(() => {
      listening = true
      // Changes made while this connection was being set up are not notified: let watchers re-check.
      if (listener === client) for (const w of watchers) w()
    }).catch(drop)
    listenerStop = () => clearInterval(heartbeat)
  }

  const store: KeyStore = {
    url: label,
    sealer,
    async list() {
      return (await query('list', selectAll)).rows.map((r) => rowToRecord(r as KeyRow))
    },
    async get(kid) {
      const { rows } = await query('get', sql(`SELECT ${COLUMNS.join(', ')} FROM {{keys}} WHERE kid = $1`), [kid])
      return rows[0] ? rowToRecord(rows[0] as KeyRow) : undefined
    },
    insert: (record) => store.transaction(async (tx) => tx.insert(record)),
    async transaction(fn) {
      live()
      let client: pg.PoolClient
      try {
        client = await pool.connect()
      } catch (error) {
        throw postgresError(error, 'connect')
      }
      // A connection lost mid-transaction fails the pending query; without a listener the
      // client's 'error' event would also crash the process.
      const onClientError = () => {}
      client.on('error', onClientError)
      const release = (destroy?: boolean) => {
        client.off('error', onClientError)
        client.release(destroy)
      }
      const q = async (what: string, text: string, values?: unknown[]) => {
        try {
          return await client.query(text, values)
        } catch (error) {
          throw postgresError(error, what)
        }
      }
      let dirty = false
      try {
        await q('begin', 'BEGIN')
        await q('lock', sql(`SELECT value FROM {{meta}} WHERE name = 'change' FOR UPDATE`))
        const tx: KeyStoreTransaction = {
          list: async () => (await q('list', selectAll)).rows.map((r) => rowToRecord(r as KeyRow)),
          insert: async (record: KeyRecord) => {
            checkRecord(record)
            await q('insert', sql(`INSERT INTO {{keys}} (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`), recordToValues(record))
            dirty = true
          },
          update: async (kid, changes) => {
            const cols = changesToColumns(checkChanges(changes))
            if (cols.length === 0) return
            const set = cols.map(([c], i) => `${c} = $${i + 1}`).join(', ')
            const r = await q('update', sql(`UPDATE {{keys}} SET ${set} WHERE kid = $${cols.length + 1}`), [...cols.map(([, v]) => v), kid])
            if (r.rowCount === 0) throw new JwkitError('ERR_STORE_NOT_FOUND', `no key with kid ${quoteKid(kid)}`)
            dirty = true
          },
        }
        const result = await fn(tx)
        if (dirty) {
          await q('commit', sql(`UPDATE {{meta}} SET value = value + 1 WHERE name = 'change'`))
          await q('commit', 'SELECT pg_notify($1, $2)', [channel, 'change'])
        }
        await q('commit', 'COMMIT')
        release()
        return result
      } catch (error) {
        let broken = false
        await client.query('ROLLBACK').catch(() => { broken = true })
        release(broken ? true : undefined)
        throw error
      }
    },
    async version() {
      const { rows } = await query('version', sql(`SELECT value FROM {{meta}} WHERE name = 'change'`))
      return String(rows[0]?.value ?? '0')
    },
    watch(onChange) {
      watchers.add(onChange)
      startListening()
      return () => {
        watchers.delete(onChange)
        if (watchers.size === 0 && listener) {
          const l = listener
          listener = undefined
          listenerStop?.()
          l.end().catch(() => {})
        }
      }
    },
    async close() {
      if (closed) return
      closed = true
      watchers.clear()
      if (retry) clearTimeout(retry)
      const l = listener
      listener = undefined
      listenerStop?.()
      await Promise.all([l?.end().catch(() => {}), pool.end().catch(() => {})])
    },
  }
  return store
}
