/**
 * @module cli/commands/read-key
 * Shared input handling of the key commands (`public`, `thumbprint`, `validate`, `inspect`):
 * the file argument or stdin (`-`), read as strict JSON (RFC 8259; duplicate member names
 * refused), then told apart as one JWK (RFC 7517 §4) or a JWK Set (RFC 7517 §5).
 */
import { JwkitError, type Problem } from '../../errors.ts'
import { isJsonObject, parseJsonStrict } from '../../util/json.ts'
import type { CliIo } from '../command.ts'

/** The largest input the key commands read: a JWK Set of a few hundred keys. */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024

export interface KeyInput {
  /** The raw input, handed on to parseJwk/parseJwkSet so their own bounds apply. */
  bytes: Buffer
  /** The input parsed as strict JSON. */
  value: unknown
  /** `set` for an object with `keys` and no `kty` (RFC 7517 §5), `jwk` otherwise. */
  kind: 'jwk' | 'set'
}

/** Refuses more than one positional argument (exit 2). */
export function singleFile(positionals: readonly string[], command: string): string | undefined {
  if (positionals.length > 1) throw new JwkitError('ERR_CLI_USAGE', `jwk ${command} takes one FILE (or - for stdin), got ${positionals.length}`)
  return positionals[0]
}

/** Reads the file argument (or stdin) and parses it as strict JSON. */
export function readKeyInput(io: CliIo, file: string | undefined): KeyInput {
  const bytes = io.readInput(file)
  const value = parseJsonStrict(bytes, { maxBytes: MAX_INPUT_BYTES, what: file === undefined || file === '-' ? 'standard input' : 'the input file' })
  return { bytes, value, kind: isSetShape(value) ? 'set' : 'jwk' }
}

/** A JWK Set is a JSON object with a `keys` member (RFC 7517 §5); a JWK has `kty` (RFC 7517 §4.1). */
export function isSetShape(value: unknown): boolean {
  return isJsonObject(value) && Object.hasOwn(value, 'keys') && !Object.hasOwn(value, 'kty')
}

/** Prints on stderr what parseJwkSet skipped (RFC 7517 §5: skipped, never fatal) or warned about. */
export function printSetNotes(io: CliIo, command: string, set: { skipped: readonly Problem[]; warnings?: readonly Problem[] }): void {
  for (const p of set.skipped) io.stderr(`jwk ${command}: skipped ${p.path || '/'}: ${p.code}: ${p.message}\n`)
  for (const p of set.warnings ?? []) io.stderr(`jwk ${command}: warning ${p.path || '/'}: ${p.code}: ${p.message}\n`)
}
