/**
 * @module cli/commands/verify
 * `jwk verify --jwks FILE [--iss I] [--aud A] [--alg A] [TOKEN | -]`: verifies a compact JWT
 * (RFC 7519 §7.2) with the keys of a JWK Set (or one JWK) and prints the verified header and
 * claims as JSON. Any failure exits 1 with its error code.
 */
import { JwkitError } from '../../errors.ts'
import { verifyJwt } from '../../jwt/verify.ts'
import type { KeySource } from '../../jws/key-source.ts'
import { createLocalJwks } from '../../jwks/local.ts'
import { createRemoteJwks } from '../../jwks/remote.ts'
import { parseJsonStrict } from '../../util/json.ts'
import { parseFlags, printJson, type CliIo, type Command } from '../command.ts'
import { isSetShape } from './read-key.ts'

const help = `Usage: jwk verify --jwks FILE [--iss I] [--aud A] [--alg A] [--typ T] [TOKEN | -]

Verifies a compact JWT and prints {"header": ..., "claims": ...} on stdout. TOKEN is read from
standard input when it is - or absent. On failure prints the error code and exits 1.

Options:
  --jwks FILE          JWK Set (or one JWK) holding the verification keys
  --jwks URL           fetch the JWK Set from an https URL (http only for loopback)
  --issuer ISSUER      discover the issuer's jwks_uri (OpenID Connect / RFC 8414);
                       also requires iss = ISSUER unless --iss says otherwise
  --iss I              required issuer
  --aud A              required audience (one of the token's aud values)
  --alg A              accepted algorithm; repeat or comma-separate for several
                       (default: what each key's alg, type and curve permit)
  --typ T              required typ header, e.g. at+jwt
  --clock-tolerance S  leeway for exp/nbf/iat: 30, 30s, 2m
  -h, --help           show this help

Examples:
  jwk verify --jwks jwks.json --iss https://issuer.example --aud api "$TOKEN"
  echo "$TOKEN" | jwk verify --jwks jwks.json --alg RS256,ES256 -

Exit status: 0 verified, 1 invalid or not verified, 2 wrong usage.
`

const FLAGS = {
  jwks: { type: 'string' }, issuer: { type: 'string' }, iss: { type: 'string' }, aud: { type: 'string' }, alg: { type: 'string', multiple: true },
  typ: { type: 'string' }, 'clock-tolerance': { type: 'string' }, json: { type: 'boolean' },
} as const

type VerifyFlags = ReturnType<typeof parseFlags<typeof FLAGS>>['values']

/** Builds the key source the flags name (one place, so other sources can be added here). */
export async function keySourceFromFlags(values: VerifyFlags, io: CliIo): Promise<KeySource> {
  if ((values.jwks === undefined) === (values.issuer === undefined)) throw new JwkitError('ERR_CLI_USAGE', 'jwk verify needs one of --jwks FILE|URL or --issuer ISSUER')
  // Remote sources: the URL comes from the command line, never from the token (RFC 8725 §3.10).
  if (values.issuer !== undefined) return createRemoteJwks({ issuer: values.issuer })
  if (/^https?:\/\//i.test(values.jwks!)) return createRemoteJwks(values.jwks!)
  const value = parseJsonStrict(io.readInput(values.jwks), { maxBytes: 4 * 1024 * 1024, what: '--jwks' })
  return createLocalJwks(isSetShape(value) ? (value as never) : ([value] as never))
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'verify a JWT with a JWK Set and print its header and claims',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(argv, FLAGS)
    if (positionals.length > 1) throw new JwkitError('ERR_CLI_USAGE', 'jwk verify takes one TOKEN (or - for stdin)')
    const source = await keySourceFromFlags(values, io)
    const arg = positionals[0]
    const token = (arg === undefined || arg === '-' ? io.readInput('-').toString('utf8') : arg).trim()
    const algorithms = values.alg?.flatMap((a) => a.split(',')).map((a) => a.trim()).filter((a) => a !== '')
    const result = await verifyJwt(token, source, {
      ...(algorithms === undefined || algorithms.length === 0 ? {} : { algorithms }),
      ...(values.iss === undefined ? (values.issuer === undefined ? {} : { issuer: values.issuer }) : { issuer: values.iss }),
      ...(values.aud === undefined ? {} : { audience: values.aud }),
      ...(values.typ === undefined ? {} : { typ: values.typ }),
      ...(values['clock-tolerance'] === undefined ? {} : { clockTolerance: values['clock-tolerance'] }),
    })
    printJson(io, { verified: true, header: result.protectedHeader, claims: result.claims, ...(result.key.kid === undefined ? {} : { kid: result.key.kid }) })
    return 0
  },
}
