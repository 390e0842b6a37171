#!/usr/bin/env node
/**
 * @module cli/main
 * The `jwk` command: dispatches to one file per subcommand (src/cli/commands/), each loaded only
 * when it runs. Every failure is reported the same way: `jwk CMD: CODE: message` on stderr, or
 * with `--json` one line `{"error":{"code","message"}}` on stderr; the exit status comes from the
 * code's registry entry (0 success, 1 invalid input, 2 wrong usage, 3 the environment failed).
 */
import { readFileSync, realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { JwkitError } from '../errors.ts'
import type { CliIo } from './command.ts'
import { EXIT_STATUS } from './exit-status.ts'
import { commands, type CommandEntry } from './commands/index.ts'

const usage = (list: readonly CommandEntry[]) =>
  [
    'Usage: jwk <command> [options]',
    '',
    'Commands:',
    ...list.map((c) => `  ${c.name.padEnd(11)} ${c.summary}`),
    '',
    'Run "jwk help <command>" or "jwk <command> --help" for the options of one command.',
    'Every command takes --json: one JSON document on stdout, and on failure',
    '{"error":{"code","message"}} on stderr.',
    '  -v, --version   print the version',
    '',
    EXIT_STATUS,
  ].join('\n')

/** The package version, read from package.json (src/ and dist/src/ both sit below it). */
export function version(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown }
      if (pkg.name === 'jwkit' && typeof pkg.version === 'string') return pkg.version
    } catch {
      // try the next place
    }
  }
  return 'unknown'
}

/** Runs the CLI with `argv` (without node and script) and returns the exit status. */
export async function main(argv: string[], given?: CliIo): Promise<number> {
  const [name, ...rest] = argv
  const json = argv.includes('--json')
  // --version and help load nothing but this file and the command table (bench/cli.ts).
  const print = given?.stdout ?? ((t: string) => { process.stdout.write(t) })
  if (name === '--version' || name === '-v') {
    print(json ? JSON.stringify({ name: 'jwkit', version: version() }) + '\n' : `jwkit ${version()}\n`)
    return 0
  }
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    print(usage(commands))
    return name === undefined ? 2 : 0
  }
  const io = given ?? (await import('./command.ts')).processIo()
  const helpFor = name === 'help' ? rest[0] : undefined
  const entry = commands.find((c) => c.name === (helpFor ?? name))
  if (!entry) {
    const what = helpFor ?? name
    const shown = /^[a-z-]{1,20}$/i.test(what) ? `"${what}"` : '(not shown)'
    const { JwkitError } = await import('../errors.ts')
    return report(io, 'jwk', new JwkitError('ERR_CLI_USAGE', `unknown command ${shown}; run "jwk help" for the list`), json, usage(commands))
  }
  try {
    const command = await entry.load()
    if (helpFor !== undefined || rest.includes('--help') || rest.includes('-h')) {
      io.stdout(command.help.endsWith('\n') ? command.help : command.help + '\n')
      return 0
    }
    return await command.run(rest, io)
  } catch (error) {
    return report(io, `jwk ${entry.name}`, error, json)
  }
}

/** Prints one failure and returns its exit status. */
async function report(io: CliIo, prefix: string, error: unknown, json: boolean, extra = ''): Promise<number> {
  const [{ ERROR_CODES, JwkitError, isJwkitError }, { explain }, { fileError }] = await Promise.all([import('../errors.ts'), import('./explain.ts'), import('./files.ts')])
  const classify = (error: unknown): JwkitError => {
    if (isJwkitError(error)) return error
    const file = fileError(error, 'read', 'a file')
    if (isJwkitError(file)) return file
    // Library functions throw TypeError/RangeError for a wrong argument: the user gave a wrong flag value.
    // Their messages name options, never values; key material never reaches them as text.
    if (error instanceof TypeError || error instanceof RangeError) return new JwkitError('ERR_CLI_USAGE', error.message)
    return new JwkitError('ERR_CLI_INTERNAL', `unexpected ${(error as Error)?.name ?? 'failure'} (details are not shown; run with NODE_DEBUG=jwk to see the stack)`)
  }
  const e = classify(error)
  if (e.code === 'ERR_CLI_INTERNAL' && /\bjwk\b/.test(io.env.NODE_DEBUG ?? '')) io.stderr(`${(error as Error)?.stack ?? String(error)}\n`)
  const message = explain(e)
  if (json) io.stderr(JSON.stringify({ error: { ...e.toJSON(), message } }) + '\n')
  else io.stderr(`${prefix}: ${e.code}: ${message}\n${extra ? '\n' + extra : ''}`)
  return ERROR_CODES[e.code].exit
}

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
    (error) => { process.stderr.write(`jwk: ${(error as Error).name}\n`); process.exitCode = 1 },
  )
}
