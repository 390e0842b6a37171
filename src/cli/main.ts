#!/usr/bin/env node
/**
 * @module cli/main
 * The `jwk` command: dispatches to one file per subcommand (src/cli/commands/).
 */
import { ERROR_CODES, isJwkitError } from '../errors.ts'
import { processIo, type CliIo, type Command } from './command.ts'
import { commands } from './commands/index.ts'

const usage = (list: readonly Command[]) =>
  [
    'Usage: jwk <command> [options]',
    '',
    'Commands:',
    ...list.map((c) => `  ${c.name.padEnd(11)} ${c.summary}`),
    '',
    'Run "jwk <command> --help" for the options of one command.',
    'Exit status: 0 success, 1 invalid input or failed verification, 2 wrong usage.',
    '',
  ].join('\n')

/** Runs the CLI with `argv` (without node and script) and returns the exit status. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage(commands))
    return name === undefined ? 2 : 0
  }
  if (name === '--version') {
    io.stdout('jwkit 0.1.0\n')
    return 0
  }
  const command = commands.find((c) => c.name === name)
  if (!command) {
    io.stderr(`jwk: unknown command "${name}"\n\n` + usage(commands))
    return 2
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help.endsWith('\n') ? command.help : command.help + '\n')
    return 0
  }
  const json = rest.includes('--json')
  try {
    return await command.run(rest, io)
  } catch (error) {
    if (isJwkitError(error)) {
      if (json) io.stderr(JSON.stringify({ error: error.toJSON() }) + '\n')
      else io.stderr(`jwk ${name}: ${error.code}: ${error.message}\n`)
      return ERROR_CODES[error.code].exit
    }
    const e = error as NodeJS.ErrnoException
    if (e && typeof e.code === 'string' && e.syscall) {
      // File-system errors: name the operation, not the content.
      io.stderr(`jwk ${name}: cannot ${e.syscall} ${e.path ?? ''}: ${e.code}\n`)
      return 1
    }
    io.stderr(`jwk ${name}: internal error: ${(error as Error)?.message ?? String(error)}\n`)
    return 1
  }
}

import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const invokedDirectly = (() => {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
})()

if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (status) => { process.exitCode = status },
    (error) => { process.stderr.write(`jwk: ${(error as Error).message}\n`); process.exitCode = 1 },
  )
}
