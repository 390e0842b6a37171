/**
 * @module store/keks
 * Where the key-encryption keys of a store come from: explicit `keks`, then `JWKIT_KEK`
 * (base64url, 32 bytes each, comma separated: the first seals, all unseal), then
 * `JWKIT_KEK_FILE`. For the embedded SQLite default with none of these, a KEK file is created
 * beside the database (mode 0600) with a warning; the memory store gets an ephemeral KEK.
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { JwkitError } from '../errors.ts'
import { encodeBase64url } from '../util/base64url.ts'
import { kekFromBytes, parseKekList, type Kek } from './seal.ts'

/** Where warnings go (the store never prints by itself). */
export interface StoreLogger {
  warn(message: string): void
}

export interface KekSource {
  /** Raw 32-byte KEKs; the first seals. Takes precedence over the environment. */
  keks?: readonly Uint8Array[]
  /** Environment to read `JWKIT_KEK` / `JWKIT_KEK_FILE` from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>
  logger?: StoreLogger
}

/** Resolves the KEKs, or returns undefined when none is configured. */
export function configuredKeks(source: KekSource): Kek[] | undefined {
  if (source.keks !== undefined) {
    if (!Array.isArray(source.keks) || source.keks.length === 0) throw new TypeError('keks must be a non-empty array of Uint8Array')
    return source.keks.map((k) => kekFromBytes(k))
  }
  const env = source.env ?? process.env
  const inline = env.JWKIT_KEK
  if (inline !== undefined && inline !== '') return parseKekList(inline, 'JWKIT_KEK')
  const file = env.JWKIT_KEK_FILE
  if (file !== undefined && file !== '') return readKekFile(file, 'JWKIT_KEK_FILE')
  return undefined
}

function readKekFile(path: string, what: string): Kek[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new JwkitError('ERR_KEK_MISSING', `${what}: the KEK file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error })
  }
  return parseKekList(text, what)
}

/** Where the KEKs of a store come from, for messages ("from now on, use …"); never a KEK value. */
export function kekSourceOf(source: KekSource, dbPath?: string): string {
  if (source.keks !== undefined) return 'the keks option'
  const env = source.env ?? process.env
  if (env.JWKIT_KEK !== undefined && env.JWKIT_KEK !== '') return 'JWKIT_KEK (its first entry seals)'
  if (env.JWKIT_KEK_FILE !== undefined && env.JWKIT_KEK_FILE !== '') return `JWKIT_KEK_FILE (${env.JWKIT_KEK_FILE})`
  if (dbPath !== undefined && dbPath !== ':memory:') return `the KEK file beside the database (${join(dirname(dbPath), 'kek')})`
  return 'an ephemeral KEK'
}

/**
 * KEKs for a SQLite database: configured ones, or `<dbdir>/kek`. That file is created (0600) only
 * for a database that holds no sealed key: when keys are there and their KEK file is gone, a new
 * KEK would unseal none of them, so that is an error that says so. `create: false` (read-only
 * commands) never creates a KEK file; a database without keys then gets an ephemeral KEK.
 */
export function sqliteKeks(dbPath: string, source: KekSource, state: { sealedKeys?: number; create?: boolean } = {}): Kek[] {
  const configured = configuredKeks(source)
  if (configured) return configured
  if (dbPath === ':memory:') return [kekFromBytes(randomBytes(32))]
  const path = join(dirname(dbPath), 'kek')
  if (existsSync(path)) return readKekFile(path, 'KEK file')
  const sealedKeys = state.sealedKeys ?? 0
  if (sealedKeys > 0) {
    throw new JwkitError(
      'ERR_KEK_MISSING',
      `the SQLite store ${dbPath} holds ${sealedKeys} sealed key${sealedKeys === 1 ? '' : 's'} but its KEK file ${path} is missing: restore that file, or set JWKIT_KEK or JWKIT_KEK_FILE to the KEK that sealed them (a new KEK would open none of them)`,
    )
  }
  if (state.create === false) return [kekFromBytes(randomBytes(32))] // nothing to open, nothing will be sealed
  try {
    const fd = openSync(path, 'wx', 0o600) // fails when it exists: never overwrite a KEK
    try {
      writeSync(fd, encodeBase64url(randomBytes(32)) + '\n')
    } finally {
      closeSync(fd)
    }
    source.logger?.warn(`jwkit: no JWKIT_KEK or JWKIT_KEK_FILE set; created the key-encryption key ${path} (mode 0600). Keep it apart from backups of the database.`)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new JwkitError('ERR_KEK_MISSING', `cannot create the KEK file beside the database (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error })
    }
  }
  return readKekFile(path, 'KEK file')
}

/** KEKs for a store with no embedded default (PostgreSQL): configured ones, or ERR_KEK_MISSING. */
export function requiredKeks(source: KekSource, what: string): Kek[] {
  const configured = configuredKeks(source)
  if (!configured) throw new JwkitError('ERR_KEK_MISSING', `${what} needs JWKIT_KEK or JWKIT_KEK_FILE (every instance must share the KEK)`)
  return configured
}

/** An ephemeral KEK (memory store). */
export function ephemeralKeks(source: KekSource): Kek[] {
  return configuredKeks({ ...source, env: source.env ?? {} }) ?? [kekFromBytes(randomBytes(32))]
}
