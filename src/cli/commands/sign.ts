/**
 * @module cli/commands/sign
 * `jwk sign --key FILE [--alg A] (--claims JSON | --payload FILE) [--kid K] [--typ T] [--exp 10m]`:
 * prints a compact JWT (RFC 7519) for `--claims`, or a compact JWS (RFC 7515 §7.1) of a file's
 * bytes for `--payload`. The key is a private JWK (RFC 7517) or PEM text.
 */
import { JwkitError } from '../../errors.ts'
import { signJwt } from '../../jwt/sign.ts'
import { signJws } from '../../jws/sign.ts'
import { parseDuration } from '../../jwt/duration.ts'
import { isJsonObject, parseJsonStrict } from '../../util/json.ts'
import { parseFlags, type CliIo, type Command } from '../command.ts'
import { isSetShape } from './read-key.ts'
import { signWithStore } from './keys.ts'

const help = `Usage: jwk sign --key FILE [--alg A] (--claims JSON | --payload FILE) [--kid K] [--typ T] [--exp 10m]
       jwk sign --store URL [--alg A] (--claims JSON | --payload FILE) [--typ T] [--exp 10m]

Signs and prints a compact token on stdout.
  --claims JSON   a JWT claims set (a JSON object); iat is set to now
  --payload FILE  sign the bytes of FILE (- for standard input) as a plain JWS

Options:
  --key FILE      private JWK (JSON) or PEM private key
  --store URL     sign with the active key of a key store instead (sqlite:PATH, postgres://…);
                  its kid goes in the header, exp is capped by the store's maxTokenTtl
  --alg A         algorithm (default: the key's alg), e.g. RS256, PS256, ES256, EdDSA, HS256, ML-DSA-65
  --kid K         kid header (default: the key's kid)
  --typ T         typ header (JWT default for --claims), e.g. at+jwt
  --exp SPAN      expiry from now for --claims: 90, 30s, 10m, 2h, 7d
  -h, --help      show this help

Examples:
  jwk generate ES256 > key.json
  jwk sign --key key.json --claims '{"sub":"alice","aud":"api"}' --exp 10m

Exit status: 0 success, 1 invalid input, 2 wrong usage.
`

export const signCommand: Command = {
  name: 'sign',
  summary: 'sign claims (JWT) or a payload (JWS) with a private key',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(argv, {
      key: { type: 'string' }, alg: { type: 'string' }, claims: { type: 'string' }, payload: { type: 'string' },
      kid: { type: 'string' }, typ: { type: 'string' }, exp: { type: 'string' }, json: { type: 'boolean' }, store: { type: 'string' },
    }, false)
    void positionals
    if (values.store !== undefined && (values.key !== undefined || values.kid !== undefined)) throw new JwkitError('ERR_CLI_USAGE', '--store takes the place of --key and --kid')
    if (values.key === undefined && values.store === undefined) throw new JwkitError('ERR_CLI_USAGE', 'jwk sign needs --key FILE or --store URL')
    if ((values.claims === undefined) === (values.payload === undefined)) throw new JwkitError('ERR_CLI_USAGE', 'jwk sign needs exactly one of --claims JSON or --payload FILE')
    if (values.exp !== undefined && values.claims === undefined) throw new JwkitError('ERR_CLI_USAGE', '--exp applies to --claims only')
    if (values.store !== undefined) {
      const claims = values.claims === undefined ? undefined : parseJsonStrict(values.claims, { maxBytes: 256 * 1024, code: 'ERR_JWT_INVALID', what: '--claims' })
      if (claims !== undefined && !isJsonObject(claims)) throw new JwkitError('ERR_JWT_INVALID', '--claims must be a JSON object')
      let expiresIn: number | undefined
      try {
        expiresIn = values.exp === undefined ? undefined : parseDuration(values.exp, '--exp')
      } catch (error) {
        throw new JwkitError('ERR_CLI_USAGE', (error as Error).message)
      }
      io.stdout(await signWithStore(io, values.store, { claims, payload: values.payload === undefined ? undefined : io.readInput(values.payload), alg: values.alg, typ: values.typ, expiresIn }) + '\n')
      return 0
    }
    const key = readKey(io, values.key!)
    const kid = values.kid ?? (isJsonObject(key) && typeof key.kid === 'string' ? key.kid : undefined)
    let token: string
    if (values.claims !== undefined) {
      const claims = parseJsonStrict(values.claims, { maxBytes: 256 * 1024, code: 'ERR_JWT_INVALID', what: '--claims' })
      if (!isJsonObject(claims)) throw new JwkitError('ERR_JWT_INVALID', '--claims must be a JSON object')
      let expiresIn: number | undefined
      try {
        expiresIn = values.exp === undefined ? undefined : parseDuration(values.exp, '--exp')
      } catch (error) {
        throw new JwkitError('ERR_CLI_USAGE', (error as Error).message)
      }
      token = await signJwt(claims, key as never, {
        ...(values.alg === undefined ? {} : { alg: values.alg }),
        ...(kid === undefined ? {} : { kid }),
        ...(values.typ === undefined ? {} : { typ: values.typ }),
        ...(expiresIn === undefined ? {} : { expiresIn }),
      })
    } else {
      const payload = io.readInput(values.payload)
      token = await signJws(payload, key as never, {
        ...(values.alg === undefined ? {} : { alg: values.alg }),
        ...(kid === undefined ? {} : { kid }),
        ...(values.typ === undefined ? {} : { protectedHeader: { typ: values.typ } }),
      })
    }
    io.stdout(token + '\n')
    return 0
  },
}

/** The key file: JWK JSON (parsed strictly) or PEM text (kept as text for signJws). */
function readKey(io: CliIo, file: string): object | string {
  const text = io.readInput(file).toString('utf8')
  if (text.trimStart().startsWith('-----BEGIN ')) return text
  const value = parseJsonStrict(text, { maxBytes: 1024 * 1024, what: '--key' })
  if (isSetShape(value)) throw new JwkitError('ERR_CLI_USAGE', '--key takes one private JWK, not a JWK Set')
  if (!isJsonObject(value)) throw new JwkitError('ERR_JWK_INVALID', '--key is not a JWK object')
  return value
}
