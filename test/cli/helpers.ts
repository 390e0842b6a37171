// Shared by the test/cli tests: runs `jwk` in-process (src/cli/main.ts) over a fake CliIo that
// collects stdout and stderr, with files and standard input held in memory.
import { main } from '../../src/cli/main.ts'
import type { CliIo } from '../../src/cli/command.ts'

export interface CliRun {
  status: number
  stdout: string
  stderr: string
}

export interface FakeIo {
  /** File arguments: contents by name (others are ENOENT), or a reader such as `readFileSync`. */
  files?: Readonly<Record<string, string | Buffer>> | ((file: string) => Buffer)
  /** Standard input (`-` or no file argument). */
  stdin?: string | Buffer
  /** Replaces `files` and `stdin` altogether. */
  readInput?: CliIo['readInput']
  env?: NodeJS.ProcessEnv
  stdoutIsTty?: boolean
}

/** Runs `jwk ...argv` with `fake` as its input and environment. */
export async function runCli(argv: string[], fake: FakeIo = {}): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const { files = {}, stdin = '' } = fake
  const io: CliIo = {
    stdout: (t) => { stdout += t },
    stderr: (t) => { stderr += t },
    readInput: fake.readInput ?? ((file) => {
      if (file === undefined || file === '-') return Buffer.from(stdin)
      if (typeof files === 'function') return files(file)
      if (!Object.hasOwn(files, file)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT', syscall: 'open', path: file })
      return Buffer.from(files[file]!)
    }),
    env: fake.env ?? {},
    stdoutIsTty: fake.stdoutIsTty ?? false,
  }
  const status = await main(argv, io)
  return { status, stdout, stderr }
}

/** `runCli` with in-memory files and standard input: the common case. */
export function runJwk(argv: string[], files: Readonly<Record<string, string | Buffer>> = {}, stdin: string | Buffer = ''): Promise<CliRun> {
  return runCli(argv, { files, stdin })
}
