/**
 * @module cli/prompt
 * A passphrase prompt on the terminal without echo: the question goes to stderr, standard input
 * is read in raw mode until Enter. Ctrl-C and Ctrl-D abort (a usage error); backspace edits.
 * Loaded only when a command needs a passphrase and none was given by file or variable.
 */
import { JwkitError } from '../errors.ts'

/** The longest passphrase read from a terminal. */
const MAX_CHARS = 1024

export function promptSecret(question: string): Promise<string> {
  const stdin = process.stdin
  return new Promise((resolve, reject) => {
    let value = ''
    const done = (error?: JwkitError) => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
      process.stderr.write('\n')
      if (error) reject(error)
      else resolve(value)
    }
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done()
        if (ch === '\u0003' || ch === '\u0004') return done(new JwkitError('ERR_CLI_USAGE', 'the passphrase prompt was cancelled'))
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1)
        else if (ch >= ' ') value += ch
        if (value.length > MAX_CHARS) return done(new JwkitError('ERR_INPUT_TOO_LARGE', `a passphrase is at most ${MAX_CHARS} characters`))
      }
    }
    process.stderr.write(question)
    stdin.setRawMode(true)
    stdin.resume()
    stdin.on('data', onData)
  })
}
