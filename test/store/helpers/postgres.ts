/**
 * @module test/store/helpers/postgres
 * PostgreSQL for the store tests: `127.0.0.1:5432`, trust auth, database `test` (override with
 * JWKIT_TEST_POSTGRES_URL). Each test run uses its own schema, dropped afterwards, so parallel
 * runs never collide. When PostgreSQL is unreachable the tests skip with the reason printed,
 * except under CI (`process.env.CI`), where that is a failure.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const POSTGRES_URL = process.env.JWKIT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

let probed: Promise<string | undefined> | undefined

/** undefined when reachable, else the reason. */
export function postgresUnavailable(): Promise<string | undefined> {
  probed ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 })
    try {
      await client.connect()
      await client.query('SELECT 1')
      return undefined
    } catch (error) {
      return `PostgreSQL at ${POSTGRES_URL} is unreachable (${(error as Error).message})`
    } finally {
      await client.end().catch(() => {})
    }
  })()
  return probed
}

/** The `skip` option for node:test: false when PostgreSQL is there; throws under CI when it is not. */
export async function skipWithoutPostgres(): Promise<string | false> {
  const reason = await postgresUnavailable()
  if (reason === undefined) return false
  if (process.env.CI) throw new Error(`CI: ${reason}`)
  console.log(`# skipping PostgreSQL tests: ${reason}`)
  return reason
}

/** A fresh schema name for one test. */
export function uniqueSchema(tag = 't'): string {
  return `jwkit_test_${tag}_${process.pid}_${randomBytes(4).toString('hex')}`
}

/** The store URL for a schema. */
export function schemaUrl(schema: string): string {
  return `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}schema=${schema}`
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  } finally {
    await client.end()
  }
}

/** Runs one SQL statement on the test database (inspection from outside the store). */
export async function pgQuery(text: string, values?: unknown[]): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  try {
    return await client.query(text, values)
  } finally {
    await client.end()
  }
}
