/**
 * @module cli/commands/sign
 * `jwk sign --key FILE [--alg A] (--claims JSON | --payload FILE) [--kid K] [--typ T] [--exp 10m]`:
 * prints a compact JWT (RFC 7519) for `--claims`, or a JWS (RFC 7515) of a file's bytes for
 * `--payload`: compact (§7.1), flattened or general JSON (§7.2), optionally detached
 * (Appendix F). The key is a private key in any format jwkit reads (JWK, encrypted JWK file,
 * PEM — encrypted PKCS#8 too —, OpenSSH private key), or one key of a JWK Set by `--kid`.
 */
import { JwkitError, isJwkitError } from '../../errors.ts'
import { signJwt } from '../../jwt/sign.ts'
import { signJws } from '../../jws/sign.ts'
import { parseDuration } from '../../jwt/duration.ts'
import { isJsonObject, parseJsonStrict } from '../../util/json.ts'
import { EXIT_STATUS, emit, parseFlags, readFileArg, type CliIo, type Command } from '../command.ts'
import { KEY_INPUT_FLAGS, readOneKey } from './read-key.ts'

const help = `Usage: jwk sign --key FILE [--alg A] (--claims JSON | --payload FILE) [--kid K] [--typ T] [--exp 10m]
       jwk sign --store URL [--alg A] (--claims JSON | --payload FILE) [--typ T] [--exp 10m]

Signs and prints a token on stdout (or writes it to --out FILE, mode 0600).
  --claims JSON   a JWT claims set (a JSON object); iat is set to now
  --payload FILE  sign the bytes of FILE (- for standard input) as a plain JWS

Options:
  --key FILE      private key: JWK, JWK Set (with --kid), encrypted JWK file, PEM (PKCS#8,
                  encrypted PKCS#8, PKCS#1, SEC1) or an OpenSSH private key
  --passphrase-file F    passphrase of an encrypted key (first line of F); without it an
                         encrypted key prompts on a terminal
  --passphrase-env VAR   passphrase of an encrypted key, from the environment variable VAR
  --store URL     sign with the active key of a key store instead (sqlite:PATH, postgres://…);
                  its kid goes in the header, exp is capped by the store's maxTokenTtl
  --alg A         algorithm (default: the key's alg; needed for a key without one, e.g. from PEM),
                  e.g. RS256, PS256, ES256, EdDSA, HS256, ML-DSA-65
  --kid K         the key of a JWK Set with kid K, and the kid header (default: the key's kid)
  --typ T         typ header (JWT default for --claims), e.g. at+jwt
  --exp SPAN      expiry from now for --claims: 90, 30s, 10m, 2h, 7d
  --json-serialization flattened|general
                  print the JWS JSON serialization (RFC 7515 §7.2) instead of the compact one
  --detached      leave the payload out (RFC 7515 Appendix F); verify with jwk verify --payload FILE
  --out FILE      write the token to FILE (mode 0600: a token is a credential)
  --force         replace an existing --out FILE
  --json          print {"token": ...} (or {"jws": {...}} for a JSON serialization)
  -h, --help      show this help

Examples:
  jwk generate ES256 --out key.json
  jwk sign --key key.json --claims '{"sub":"alice","aud":"api"}' --exp 10m
  jwk sign --key id_ed25519 --alg EdDSA --payload doc.bin --detached > doc.jws

${EXIT_STATUS}`

export const signCommand: Command = {
  name: 'sign',
  summary: 'sign claims (JWT) or a payload (JWS) with a private key',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values } = parseFlags(argv, {
      key: { type: 'string' }, alg: { type: 'string' }, claims: { type: 'string' }, payload: { type: 'string' },
      kid: { type: 'string' }, typ: { type: 'string' }, exp: { type: 'string' }, store: { type: 'string' },
      'passphrase-file': KEY_INPUT_FLAGS['passphrase-file'], 'passphrase-env': KEY_INPUT_FLAGS['passphrase-env'],
      'json-serialization': { type: 'string' }, detached: { type: 'boolean' }, out: { type: 'string' }, force: { type: 'boolean' },
    }, false)
    if (values.store !== undefined && (values.key !== undefined || values.kid !== undefined)) throw usage('--store takes the place of --key and --kid')
    if (values.key === undefined && values.store === undefined) throw usage('jwk sign needs --key FILE or --store URL')
    if ((values.claims === undefined) === (values.payload === undefined)) throw usage('jwk sign needs exactly one of --claims JSON or --payload FILE')
    if (values.exp !== undefined && values.claims === undefined) throw usage('--exp applies to --claims only')
    if (values.force === true && values.out === undefined) throw usage('--force applies to --out')
    const serialization = values['json-serialization']
    if (serialization !== undefined && serialization !== 'flattened' && serialization !== 'general') throw usage('--json-serialization is flattened or general')
    if ((serialization !== undefined || values.detached === true) && values.payload === undefined) throw usage('--json-serialization and --detached apply to --payload (a JWT is compact)')
    if ((serialization !== undefined || values.detached === true) && values.store !== undefined) throw usage('--json-serialization and --detached need --key')
    const claims = values.claims === undefined ? undefined : parseJsonStrict(values.claims, { maxBytes: 256 * 1024, code: 'ERR_JWT_INVALID', what: '--claims' })
    if (claims !== undefined && !isJsonObject(claims)) throw new JwkitError('ERR_JWT_INVALID', '--claims must be a JSON object')
    let expiresIn: number | undefined
    try {
      expiresIn = values.exp === undefined ? undefined : parseDuration(values.exp, '--exp')
    } catch (error) {
      throw usage(isJwkitError(error) || error instanceof Error ? error.message : '--exp is not a duration')
    }
    const payload = values.payload === undefined ? undefined : readFileArg(io, values.payload, '--payload')
    const out = (token: string | object) => {
      const text = typeof token === 'string'
        ? (values.json === true ? JSON.stringify({ token }) : token) + '\n'
        : JSON.stringify(values.json === true ? { jws: token } : token, null, values.json === true ? undefined : 2) + '\n'
      emit(io, text, { out: values.out, force: values.force, secret: true, command: 'sign' })
      if (values.out !== undefined && values.json === true) io.stdout(JSON.stringify({ out: values.out }) + '\n')
      return 0
    }
    if (values.store !== undefined) {
      const { signWithStore } = await import('./keys.ts')
      return out(await signWithStore(io, values.store, { claims, payload, alg: values.alg, typ: values.typ, expiresIn }))
    }
    const key = await readOneKey(io, values.key, values, '--key')
    const kid = values.kid ?? key.kid
    const alg = values.alg ?? key.alg
    if (alg === undefined) throw usage(`the key has no "alg": give --alg (for ${article(key.kty)} key, e.g. ${exampleAlg(key)})`)
    if (claims !== undefined) {
      return out(await signJwt(claims, key, {
        alg,
        ...(kid === undefined ? {} : { kid }),
        ...(values.typ === undefined ? {} : { typ: values.typ }),
        ...(expiresIn === undefined ? {} : { expiresIn }),
      }))
    }
    return out(await signJws(payload!, key, {
      alg,
      ...(kid === undefined ? {} : { kid }),
      ...(values.typ === undefined ? {} : { protectedHeader: { typ: values.typ } }),
      ...(serialization === undefined ? {} : { serialization }),
      ...(values.detached === true ? { detached: true } : {}),
    }) as string | object)
  },
}

function usage(message: string): JwkitError {
  return new JwkitError('ERR_CLI_USAGE', message)
}

/** "an EC key", "an RSA key", "an oct key", "an OKP key", "an AKP key": every kty reads with "an". */
function article(kty: string): string {
  return `an ${kty}`
}

function exampleAlg(key: { kty: string; crv?: unknown }): string {
  if (key.kty === 'RSA') return 'RS256 or PS256'
  if (key.kty === 'EC') return key.crv === 'P-384' ? 'ES384' : key.crv === 'P-521' ? 'ES512' : key.crv === 'secp256k1' ? 'ES256K' : 'ES256'
  if (key.kty === 'OKP') return 'EdDSA'
  if (key.kty === 'oct') return 'HS256'
  return 'ML-DSA-65'
}
