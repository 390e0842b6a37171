/**
 * @module cli/command
 * What every `jwk` subcommand is, and the I/O helpers they share. Commands stay thin: each one
 * parses its flags, calls library functions, and prints. Exit status (README, "The `jwk`
 * command"): 0 success, 1 invalid input or failed verification, 2 wrong usage, 3 the environment
 * failed (network, store, file system, a missing tool).
 */
import { fstatSync, readFileSync } from 'node:fs'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { JwkitError } from '../errors.ts'
import { fileError, writeOutputFile } from './files.ts'

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Reads a file argument, or standard input for `-` or no argument. */
  readInput: (file: string | undefined) => Buffer
  env: NodeJS.ProcessEnv
  /** True when stdout is a terminal (binary output is then refused). */
  stdoutIsTty: boolean
  /** True when stdout is a regular file that group or others may read (`jwk generate > key.json`). */
  stdoutIsSharedFile?: boolean
  /** True when stderr is a terminal (a person is watching: warnings worth a line). */
  stderrIsTty?: boolean
  /** Writes raw bytes to stdout (binary plaintext); absent where only text can be written. */
  writeStdout?: (bytes: Uint8Array) => void
  /** Asks for a passphrase on the terminal without echo; absent when there is no terminal. */
  promptSecret?: (question: string) => Promise<string>
}

export interface Command {
  name: string
  summary: string
  /** Full `--help` text. */
  help: string
  run: (argv: string[], io: CliIo) => Promise<number> | number
}

export { EXIT_STATUS } from './exit-status.ts'

/** Parses flags; unknown flags and bad values are usage errors (exit 2). */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  allowPositionals = true,
): { values: { [K in keyof T]?: T[K] extends { multiple: true } ? Array<T[K] extends { type: 'boolean' } ? boolean : string> : T[K] extends { type: 'boolean' } ? boolean : string } & { json?: boolean }; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: argv, options: { json: { type: 'boolean' }, ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true })
    return parsed as unknown as ReturnType<typeof parseFlags<T>>
  } catch (error) {
    // node:util quotes the offending argument; an argument may be key material, so name the flag only.
    const message = (error as Error).message
    const flag = /(?:Unknown option|Option) '(-{1,2}[A-Za-z0-9-]{1,40})/.exec(message)?.[1]
    const code = (error as { code?: string }).code
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new JwkitError('ERR_CLI_USAGE', 'this command takes no positional argument (see --help)')
    // A kid may start with "-" (base64url thumbprints do, 1 in 64): after "--" it is an argument.
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new JwkitError('ERR_CLI_USAGE', `unknown option ${flag ?? '(not shown)'} (see --help; an argument that starts with "-" goes after --)`)
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new JwkitError('ERR_CLI_USAGE', `option ${flag ?? '(not shown)'} ${/argument missing/.test(message) ? 'needs a value' : 'takes no value'}`)
    throw new JwkitError('ERR_CLI_USAGE', 'the options cannot be parsed (see --help)')
  }
}

/** The default process I/O. */
export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readInput: (file) => (file === undefined || file === '-' ? readFileSync(0) : readFileSync(file)),
    env: process.env,
    stdoutIsTty: process.stdout.isTTY === true,
    writeStdout: (b) => process.stdout.write(b),
    get stdoutIsSharedFile() { return sharedFile(1) },
    stderrIsTty: process.stderr.isTTY === true,
    ...(process.stdin.isTTY === true ? { promptSecret: (q: string) => import('./prompt.ts').then((m) => m.promptSecret(q)) } : {}),
  }
}

function sharedFile(fd: number): boolean {
  try {
    const st = fstatSync(fd)
    return st.isFile() && (st.mode & 0o077) !== 0
  } catch {
    return false
  }
}

/** Reads a file argument (or stdin for `-`/none); a file system failure becomes ERR_FILE_ACCESS naming `what`. */
export function readFileArg(io: CliIo, file: string | undefined, what: string): Buffer {
  try {
    return io.readInput(file)
  } catch (error) {
    throw fileError(error, 'read', what, file)
  }
}

/** Reads standard input or the argument as a token; empty input is a clear error. */
export function readToken(io: CliIo, arg: string | undefined, what = 'token'): string {
  const text = (arg === undefined || arg === '-' ? readFileArg(io, '-', 'standard input').toString('utf8') : arg).trim()
  if (text === '') throw new JwkitError('ERR_CLI_USAGE', arg === undefined || arg === '-' ? `no ${what} on standard input` : `the ${what} is empty`)
  return text
}

/** Prints a JSON value on stdout, two-space indented, with a final newline. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + '\n')
}

/** A usage error (exit 2). */
export function usage(message: string): JwkitError {
  return new JwkitError('ERR_CLI_USAGE', message)
}

export interface EmitOptions {
  /** `--out FILE`, else stdout. */
  out?: string | undefined
  force?: boolean | undefined
  /** Private material (mode 0600 for --out; a warning when stdout is a file others may read). */
  secret: boolean
  command: string
}

/** Writes a command's output to `--out FILE` (atomically, 0600 when secret) or stdout. */
export function emit(io: CliIo, data: string | Uint8Array, options: EmitOptions): void {
  if (options.out !== undefined) {
    writeOutputFile(options.out, data, { secret: options.secret, force: options.force === true })
    return
  }
  if (options.secret && io.stderrIsTty === true && io.stdoutIsSharedFile === true) {
    io.stderr(`jwk ${options.command}: warning: standard output is a file others may read (its mode follows the umask); use --out FILE to write it with mode 0600\n`)
  }
  io.stdout(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'))
}
