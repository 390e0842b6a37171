/**
 * @module cli/commands/read-key
 * Shared input handling of the commands that read keys: the file argument or stdin (`-`), an
 * encrypted JWK file (RFC 7517 Appendix C) opened with the passphrase flags, read as strict JSON
 * (RFC 8259; duplicate member names refused), told apart as one JWK (RFC 7517 §4) or a JWK Set
 * (RFC 7517 §5), and `--kid K` picking one key of a set. {@link readAnyKey} also takes every
 * other format jwkit reads (PEM, DER, OpenSSH, COSE; formats/detect).
 */
import { JwkitError, isJwkitError, type Problem } from '../../errors.ts'
import type { Jwk, JwkSet } from '../../jwk/types.ts'
import { isJsonObject, parseJsonStrict } from '../../util/json.ts'
import { readFileArg, type CliIo } from '../command.ts'
import { inputPassphrase } from '../passphrase.ts'

/** The largest input the key commands read: a JWK Set of a few hundred keys. */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024

export interface KeyInput {
  /** The raw input (decrypted, or the one key --kid picked), handed on to parseJwk/parseJwkSet so their own bounds apply. */
  bytes: Buffer
  /** The input parsed as strict JSON. */
  value: unknown
  /** `set` for an object with `keys` and no `kty` (RFC 7517 §5), `jwk` otherwise. */
  kind: 'jwk' | 'set'
}

/** The flags of every key-reading command. */
export const KEY_INPUT_FLAGS = {
  'passphrase-file': { type: 'string' },
  'passphrase-env': { type: 'string' },
  kid: { type: 'string' },
} as const

export interface KeyInputFlags {
  'passphrase-file'?: string | undefined
  'passphrase-env'?: string | undefined
  kid?: string | undefined
}

/** Refuses more than one positional argument (exit 2). */
export function singleFile(positionals: readonly string[], command: string): string | undefined {
  if (positionals.length > 1) throw new JwkitError('ERR_CLI_USAGE', `jwk ${command} takes one FILE (or - for stdin), got ${positionals.length}`)
  return positionals[0]
}

const inputName = (file: string | undefined) => (file === undefined || file === '-' ? 'standard input' : 'the input file')

/** Decrypts an encrypted JWK file (RFC 7517 Appendix C), asking for the passphrase only then. */
async function openKeyFile(io: CliIo, bytes: Buffer, flags: KeyInputFlags, what: string): Promise<Buffer> {
  const head = bytes.subarray(0, 4096).toString('utf8')
  const { looksLikeJwe, decryptKeyFile } = await import('../../jwe/encrypted-jwk.ts')
  if (!looksLikeJwe(head.length < bytes.length ? bytes.toString('utf8') : head)) return bytes
  const passphrase = await inputPassphrase(io, flags, `the encrypted key file (${what})`)()
  try {
    return Buffer.from((await decryptKeyFile(bytes, passphrase)).plaintext)
  } catch (error) {
    if (isJwkitError(error) && error.code === 'ERR_JWE_DECRYPTION_FAILED') throw new JwkitError('ERR_PASSPHRASE_WRONG', 'the passphrase does not open the encrypted key file (or the file is damaged)')
    throw error
  }
}

/** A cheap test before the JWE module is loaded: JSON keys start with `{` and have no `ciphertext`. */
function maybeEncrypted(bytes: Buffer): boolean {
  const t = bytes.subarray(0, 64).toString('latin1').trimStart()
  if (t.startsWith('eyJ')) return true
  return t.startsWith('{') && bytes.includes('"ciphertext"')
}

/** Reads the file argument (or stdin), decrypts an encrypted key file, parses strict JSON, applies --kid. */
export async function readKeyInput(io: CliIo, file: string | undefined, flags: KeyInputFlags = {}, what = inputName(file)): Promise<KeyInput> {
  let bytes = readFileArg(io, file, what)
  if (bytes.length === 0) throw new JwkitError('ERR_CLI_USAGE', file === undefined || file === '-' ? 'no key on standard input' : `${what} is empty`)
  if (maybeEncrypted(bytes)) bytes = await openKeyFile(io, bytes, flags, what)
  const value = parseJsonStrict(bytes, { maxBytes: MAX_INPUT_BYTES, what })
  const input: KeyInput = { bytes, value, kind: isSetShape(value) ? 'set' : 'jwk' }
  return flags.kid === undefined ? input : pickKid(input, flags.kid)
}

/** `--kid K`: the one key of the set with that kid (or the single JWK, when its kid matches). */
function pickKid(input: KeyInput, kid: string): KeyInput {
  const shown = kid.length <= 100 ? JSON.stringify(kid) : `${JSON.stringify(kid.slice(0, 100))}…`
  if (input.kind === 'jwk') {
    if (isJsonObject(input.value) && input.value.kid === kid) return input
    throw new JwkitError('ERR_JWKS_NO_MATCHING_KEY', `the key's kid is not ${shown}`, { path: '/kid' })
  }
  const keys = (input.value as { keys?: unknown }).keys
  const found = Array.isArray(keys) ? keys.filter((k) => isJsonObject(k) && k.kid === kid) : []
  if (found.length === 0) throw new JwkitError('ERR_JWKS_NO_MATCHING_KEY', `no key of the JWK Set has kid ${shown}`)
  if (found.length > 1) throw new JwkitError('ERR_JWKS_DUPLICATE_KID', `${found.length} keys of the JWK Set have kid ${shown}`)
  return { bytes: Buffer.from(JSON.stringify(found[0])), value: found[0], kind: 'jwk' }
}

/** A JWK Set is a JSON object with a `keys` member (RFC 7517 §5); a JWK has `kty` (RFC 7517 §4.1). */
export function isSetShape(value: unknown): boolean {
  return isJsonObject(value) && Object.hasOwn(value, 'keys') && !Object.hasOwn(value, 'kty')
}

/** Prints on stderr what parseJwkSet skipped (RFC 7517 §5: skipped, never fatal) or warned about. */
export function printSetNotes(io: CliIo, command: string, set: { skipped: readonly Problem[]; warnings?: readonly Problem[] }): void {
  for (const p of set.skipped) io.stderr(`jwk ${command}: skipped ${p.path || '""'}: ${p.code}: ${p.message}\n`)
  for (const p of set.warnings ?? []) io.stderr(`jwk ${command}: warning ${p.path || '""'}: ${p.code}: ${p.message}\n`)
}

export interface AnyKey {
  jwk?: Jwk
  jwks?: JwkSet
  format: string
  comment?: string
}

/**
 * Reads a key in any format jwkit knows: an encrypted JWK file, JWK, JWK Set, PEM (encrypted
 * PKCS#8 with the passphrase flags), DER, an OpenSSH public line or private key file, COSE_Key.
 * The passphrase is asked for only when the input turns out to be encrypted.
 */
export async function readAnyKey(io: CliIo, file: string | undefined, flags: KeyInputFlags, what: string): Promise<AnyKey> {
  let bytes = readFileArg(io, file, what)
  if (bytes.length === 0) throw new JwkitError('ERR_CLI_USAGE', file === undefined || file === '-' ? 'no key on standard input' : `${what} is empty`)
  if (maybeEncrypted(bytes)) bytes = await openKeyFile(io, bytes, flags, what)
  const passphrase = inputPassphrase(io, flags, what)
  let result: AnyKey
  if (bytes.subarray(0, 200).toString('latin1').includes('-----BEGIN OPENSSH PRIVATE KEY-----')) {
    const { readSshPrivateKey } = await import('../../formats/ssh-private.ts')
    result = await readSshPrivateKey(bytes.toString('utf8'), { passphrase })
  } else {
    const { readKey } = await import('../../formats/detect.ts')
    const given = flags['passphrase-file'] !== undefined || flags['passphrase-env'] !== undefined
    try {
      result = readKey(bytes, given ? { passphrase: await passphrase() } : {})
    } catch (error) {
      if (!(isJwkitError(error) && error.code === 'ERR_PASSPHRASE_REQUIRED')) throw error
      result = readKey(bytes, { passphrase: await passphrase() })
    }
  }
  if (flags.kid === undefined) return result
  const kid = flags.kid
  const shown = kid.length <= 100 ? JSON.stringify(kid) : `${JSON.stringify(kid.slice(0, 100))}…`
  if (result.jwks !== undefined) {
    const found = result.jwks.keys.filter((k) => k.kid === kid)
    if (found.length === 0) throw new JwkitError('ERR_JWKS_NO_MATCHING_KEY', `no key of the JWK Set has kid ${shown}`)
    if (found.length > 1) throw new JwkitError('ERR_JWKS_DUPLICATE_KID', `${found.length} keys of the JWK Set have kid ${shown}`)
    return { jwk: found[0]!, format: result.format }
  }
  // One key: --kid is then only the kid to use (the sign and encrypt headers).
  return result
}

/** One private or public key (not a set) from {@link readAnyKey}; a set needs --kid. */
export async function readOneKey(io: CliIo, file: string | undefined, flags: KeyInputFlags, what: string): Promise<Jwk> {
  const read = await readAnyKey(io, file, flags, what)
  if (read.jwk !== undefined) return read.jwk
  const keys = read.jwks!.keys
  if (keys.length === 1) return keys[0]!
  throw new JwkitError('ERR_CLI_USAGE', `${what} is a JWK Set of ${keys.length} keys: pick one with --kid K`)
}
