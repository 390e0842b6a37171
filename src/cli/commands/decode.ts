/**
 * @module cli/commands/decode
 * `jwk decode [TOKEN | -]`: shows a compact JWS/JWT's header and payload WITHOUT verifying it
 * (RFC 8725 §3.2: nothing here may be trusted). The output says so in a `warning` member and
 * on stderr.
 */
import { JwkitError } from '../../errors.ts'
import { decodeJwt } from '../../jwt/decode.ts'
import { EXIT_STATUS, parseFlags, printJson, readToken, type CliIo, type Command } from '../command.ts'
import { readTimes } from '../times.ts'

const help = `Usage: jwk decode [TOKEN | -]

Prints the header and claims (or payload) of a compact JWS/JWT WITHOUT VERIFYING it, with
iat/nbf/exp as RFC 3339 dates and relative times ("times"). Use "jwk verify" to check the
signature and claims. TOKEN is read from standard input when it is - or absent.

Options:
  --json       errors as {"error": {"code", "message"}} on stderr (output is JSON anyway)
  -h, --help   show this help

${EXIT_STATUS}`

export const decodeCommand: Command = {
  name: 'decode',
  summary: 'show a token\'s header and claims, UNVERIFIED',
  help,
  run(argv: string[], io: CliIo): number {
    const { positionals } = parseFlags(argv, {})
    if (positionals.length > 1) throw new JwkitError('ERR_CLI_USAGE', 'jwk decode takes one TOKEN (or - for stdin)')
    const d = decodeJwt(readToken(io, positionals[0]))
    const times = d.claims === undefined ? undefined : readTimes(d.claims)
    io.stderr('jwk decode: UNVERIFIED — the signature was not checked; do not trust this content\n')
    printJson(io, {
      verified: false,
      warning: 'UNVERIFIED: signature and claims not checked',
      header: d.protectedHeader,
      ...(d.claims === undefined ? { payload: Buffer.from(d.payload).toString('base64url') } : { claims: d.claims }),
      ...(times === undefined ? {} : { times }),
    })
    return 0
  },
}
