/**
 * @module store/migrations
 * The schema of a key store as plain, versioned SQL, identical in meaning on SQLite and
 * PostgreSQL (only the byte-string type name differs). Applied on open, in order, each in the
 * same transaction as its row in `jwkit_schema`; a store whose schema is newer than this code
 * knows is refused (`ERR_STORE_SCHEMA_TOO_NEW`) rather than misread.
 */
import { JwkitError } from '../errors.ts'

export type SqlDialect = 'sqlite' | 'postgres'

/** Table names, optionally qualified by a PostgreSQL schema. */
export interface TableNames {
  schema: string
  keys: string
  meta: string
}

export interface Migration {
  readonly version: number
  readonly description: string
  /** Statements, with `{{keys}}`, `{{meta}}`, `{{bytes}}` placeholders. */
  readonly statements: readonly string[]
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'keys and the change counter',
    statements: [
      `CREATE TABLE {{keys}} (
        kid TEXT PRIMARY KEY,
        alg TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('next', 'active', 'retired', 'revoked', 'removed')),
        created_at BIGINT NOT NULL,
        published_at BIGINT,
        activated_at BIGINT,
        retired_at BIGINT,
        removed_at BIGINT,
        public_jwk TEXT NOT NULL,
        sealed {{bytes}} NOT NULL,
        kek_id TEXT NOT NULL
      )`,
      // The store itself holds the first invariant: at most one active key per algorithm.
      `CREATE UNIQUE INDEX {{keys_one_active}} ON {{keys}} (alg) WHERE state = 'active'`,
      `CREATE TABLE {{meta}} (name TEXT PRIMARY KEY, value BIGINT NOT NULL)`,
      `INSERT INTO {{meta}} (name, value) VALUES ('change', 0)`,
    ],
  },
  {
    version: 2,
    description: 'scheduled activation of a next key (a rotation waiting for prepublish)',
    statements: [`ALTER TABLE {{keys}} ADD COLUMN activate_at BIGINT`],
  },
]

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/

/** Names for a store; `schema` is a PostgreSQL schema (`''` on SQLite). */
export function tableNames(schema = ''): TableNames {
  if (schema !== '' && !IDENTIFIER.test(schema)) {
    throw new JwkitError('ERR_STORE_URL_INVALID', 'store schema must be a lower-case SQL identifier ([a-z_][a-z0-9_]*)')
  }
  const q = (name: string) => (schema === '' ? name : `"${schema}".${name}`)
  return { schema, keys: q('jwkit_keys'), meta: q('jwkit_meta') }
}

/** The schema version table's name. */
export function schemaTable(names: TableNames): string {
  return names.schema === '' ? 'jwkit_schema' : `"${names.schema}".jwkit_schema`
}

export const CREATE_SCHEMA_TABLE = 'CREATE TABLE IF NOT EXISTS {{schema_table}} (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)'

/** Fills the placeholders of a statement for a dialect. */
export function renderSql(sql: string, dialect: SqlDialect, names: TableNames): string {
  return sql
    .replaceAll('{{keys_one_active}}', 'jwkit_keys_one_active') // an index lives in its table's schema
    .replaceAll('{{keys}}', names.keys)
    .replaceAll('{{meta}}', names.meta)
    .replaceAll('{{schema_table}}', schemaTable(names))
    .replaceAll('{{bytes}}', dialect === 'postgres' ? 'BYTEA' : 'BLOB')
}

/** The migrations still to apply over `current`; throws when the store is newer than this code. */
export function pendingMigrations(current: number, url: string): readonly Migration[] {
  if (current > LATEST_SCHEMA_VERSION) {
    throw new JwkitError(
      'ERR_STORE_SCHEMA_TOO_NEW',
      `the key store at ${url} has schema version ${current}; this jwkit knows up to ${LATEST_SCHEMA_VERSION}`,
      { detail: { schemaVersion: current, supported: LATEST_SCHEMA_VERSION } },
    )
  }
  return MIGRATIONS.filter((m) => m.version > current)
}
