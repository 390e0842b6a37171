/**
 * @module cli/command
 * What every `jwk` subcommand is, and the I/O helpers they share. Commands stay thin: each one
 * parses its flags, calls library functions, and prints. Exit status (README, "The `jwk`
 * command"): 0 success, 1 invalid input or failed verification, 2 wrong usage.
 */
import { readFileSync } from 'node:fs'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { JwkitError } from '../errors.ts'

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Reads a file argument, or standard input for `-` or no argument. */
  readInput: (file: string | undefined) => Buffer
  env: NodeJS.ProcessEnv
  /** True when stdout is a terminal (binary output is then refused). */
  stdoutIsTty: boolean
}

export interface Command {
  name: string
  summary: string
  /** Full `--help` text. */
  help: string
  run: (argv: string[], io: CliIo) => Promise<number> | number
}

/** Parses flags; unknown flags and bad values are usage errors (exit 2). */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  allowPositionals = true,
): { values: { [K in keyof T]?: T[K] extends { multiple: true } ? Array<T[K] extends { type: 'boolean' } ? boolean : string> : T[K] extends { type: 'boolean' } ? boolean : string }; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true })
    return parsed as unknown as ReturnType<typeof parseFlags<T>>
  } catch (error) {
    throw new JwkitError('ERR_CLI_USAGE', (error as Error).message)
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
  }
}

/** Prints a JSON value on stdout, two-space indented, with a final newline. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + '\n')
}
