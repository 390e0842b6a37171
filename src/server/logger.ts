/**
 * @module server/logger
 * Structured logs: one JSON object per line (`time`, `level`, `msg`, then fields). Fields named
 * like a private JWK member (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2; AKP `priv`) or like a
 * credential are dropped before writing, at any depth, so a careless caller cannot log them.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
import { ownOptions } from '../util/dict.ts'
export type LogFields = Record<string, unknown>

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
}

export interface CreateLoggerOptions {
  /** Receives each line, newline included (default: process.stdout). */
  write?: (line: string) => void
  /** Lowest level written (default `info`). */
  level?: LogLevel
  /** Clock, for tests. */
  now?: () => number
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

/** Member names never written to a log line. */
export const REDACTED_FIELDS: ReadonlySet<string> = new Set([
  'd', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv', 'sealed', 'kek',
  'token', 'authorization', 'adminToken', 'password', 'passphrase', 'secret',
])

function clean(value: unknown, depth: number): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code
    return { name: value.name, message: value.message, ...(typeof code === 'string' ? { code } : {}) }
  }
  if (typeof value !== 'object' || value === null) return typeof value === 'bigint' ? String(value) : value
  if (depth > 6) return '[deep]'
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`
  if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    if (REDACTED_FIELDS.has(key)) continue
    out[key] = clean(v, depth + 1)
  }
  return out
}

/** Creates a JSON-lines logger. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const write = options.write ?? ((line: string) => void process.stdout.write(line))
  const min = LEVELS[options.level ?? 'info']
  const now = options.now ?? Date.now
  const log = (level: LogLevel) => (msg: string, fields: LogFields = {}) => {
    if (LEVELS[level] < min) return
    const record = { time: new Date(now()).toISOString(), level, msg, ...(clean(fields, 0) as LogFields) }
    write(JSON.stringify(record) + '\n')
  }
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
}

/** A logger that writes nothing. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }
