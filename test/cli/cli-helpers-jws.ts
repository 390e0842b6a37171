// Shared by the sign/verify/decode CLI tests: runs `jwk` in-process with files held in memory.
import { main } from '../../src/cli/main.ts'
import type { CliIo } from '../../src/cli/command.ts'

export async function runJwk(argv: string[], files: Record<string, string | Buffer> = {}, stdin = '') {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: (t) => { stdout += t },
    stderr: (t) => { stderr += t },
    readInput: (file) => {
      if (file === undefined || file === '-') return Buffer.from(stdin)
      const content = files[file]
      if (content === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT', syscall: 'open', path: file })
      return Buffer.from(content)
    },
    env: {},
    stdoutIsTty: false,
  }
  const status = await main(argv, io)
  return { status, stdout, stderr }
}
