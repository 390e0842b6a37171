/**
 * @module cli/passphrase
 * Where the `jwk` command takes passphrases from: a file (`--passphrase-file F`, its first line,
 * the convention of openssl's `file:`), an environment variable (`--passphrase-env VAR`), or a
 * prompt without echo when standard input is a terminal — never an argument's value, which
 * other users see in the process list and shells keep in their history.
 */
import { JwkitError } from '../errors.ts'
import { readFileArg, type CliIo } from './command.ts'

/** The flags of one passphrase (to open an input, or to encrypt an output). */
export interface PassphraseSource {
  file?: string | undefined
  env?: string | undefined
  /** Prompt on the terminal when neither is given. */
  prompt?: boolean | undefined
}

/** The passphrase flags every key-reading command accepts. */
export const PASSPHRASE_FLAGS = {
  'passphrase-file': { type: 'string' },
  'passphrase-env': { type: 'string' },
} as const

/** The flags of commands that can write an encrypted key. */
export const OUT_PASSPHRASE_FLAGS = {
  'out-passphrase-file': { type: 'string' },
  'out-passphrase-env': { type: 'string' },
  'out-passphrase-prompt': { type: 'boolean' },
} as const

const MAX_PASSPHRASE_FILE_BYTES = 64 * 1024

/** Refuses two sources at once (exit 2). */
function checkOne(source: PassphraseSource, prefix: string): void {
  if (source.file !== undefined && source.env !== undefined) throw new JwkitError('ERR_CLI_USAGE', `--${prefix}passphrase-file and --${prefix}passphrase-env exclude each other`)
}

/** True when the flags name a source (a prompt counts). */
export function hasPassphrase(source: PassphraseSource): boolean {
  return source.file !== undefined || source.env !== undefined || source.prompt === true
}

/**
 * Reads the passphrase the flags name. With no file or variable, prompts when standard input is
 * a terminal (twice for a new passphrase); otherwise a usage error saying what to give.
 */
export async function readPassphrase(io: CliIo, source: PassphraseSource, purpose: { prefix?: '' | 'out-'; what: string; confirm?: boolean }): Promise<string> {
  const prefix = purpose.prefix ?? ''
  checkOne(source, prefix)
  if (source.file !== undefined) {
    const bytes = readFileArg(io, source.file, `--${prefix}passphrase-file`)
    if (bytes.length > MAX_PASSPHRASE_FILE_BYTES) throw new JwkitError('ERR_INPUT_TOO_LARGE', `the --${prefix}passphrase-file is over ${MAX_PASSPHRASE_FILE_BYTES} bytes`)
    const first = bytes.toString('utf8').split(/\r?\n/)[0] ?? ''
    if (first === '') throw new JwkitError('ERR_CLI_USAGE', `the --${prefix}passphrase-file is empty (its first line is the passphrase)`)
    return first
  }
  if (source.env !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,100}$/.test(source.env)) throw new JwkitError('ERR_CLI_USAGE', `--${prefix}passphrase-env takes the NAME of an environment variable`)
    const value = io.env[source.env]
    if (value === undefined || value === '') throw new JwkitError('ERR_CLI_USAGE', `the environment variable ${source.env} (--${prefix}passphrase-env) is not set or empty`)
    return value
  }
  if (io.promptSecret === undefined) {
    throw new JwkitError('ERR_PASSPHRASE_REQUIRED', `${purpose.what} needs a passphrase: give --${prefix}passphrase-file FILE or --${prefix}passphrase-env VAR (no terminal to prompt on)`)
  }
  const first = await io.promptSecret(`Passphrase for ${purpose.what}: `)
  if (first === '') throw new JwkitError('ERR_CLI_USAGE', 'the passphrase is empty')
  if (purpose.confirm === true) {
    const again = await io.promptSecret('Same passphrase again: ')
    if (again !== first) throw new JwkitError('ERR_CLI_USAGE', 'the two passphrases differ')
  }
  return first
}

/** The input passphrase flags of parsed values, as a lazy source (asked only when the input is encrypted). */
export function inputPassphrase(io: CliIo, values: { 'passphrase-file'?: string | undefined; 'passphrase-env'?: string | undefined }, what: string): () => Promise<string> {
  let cached: Promise<string> | undefined
  return () => (cached ??= readPassphrase(io, { file: values['passphrase-file'], env: values['passphrase-env'], prompt: true }, { what }))
}

/** The output passphrase, when the flags ask for an encrypted output. */
export async function outputPassphrase(io: CliIo, values: { 'out-passphrase-file'?: string | undefined; 'out-passphrase-env'?: string | undefined; 'out-passphrase-prompt'?: boolean | undefined }, what: string): Promise<string | undefined> {
  const source = { file: values['out-passphrase-file'], env: values['out-passphrase-env'], prompt: values['out-passphrase-prompt'] }
  if (!hasPassphrase(source)) return undefined
  if (source.prompt === true && (source.file !== undefined || source.env !== undefined)) throw new JwkitError('ERR_CLI_USAGE', '--out-passphrase-prompt excludes --out-passphrase-file and --out-passphrase-env')
  return readPassphrase(io, source, { prefix: 'out-', what, confirm: true })
}
