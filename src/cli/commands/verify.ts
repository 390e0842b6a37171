/**
 * @module cli/commands/verify
 * `jwk verify --jwks FILE [--iss I] [--aud A] [--alg A] [TOKEN | -]`: verifies a JWT (RFC 7519
 * §7.2) — or a JWS whose payload is not a JWT claims set (RFC 7515, compact or JSON, detached
 * with `--payload FILE`, Appendix F) — with the keys of a JWK Set (or one JWK; or the set an
 * issuer's jwks_uri or a key store publishes) and prints the
 * verified header and claims (or payload) as JSON, with `iat`/`nbf`/`exp` as RFC 3339 dates
 * and relative times.
 */
import { JwkitError } from '../../errors.ts'
import { verifyJwt } from '../../jwt/verify.ts'
import { verifyJws } from '../../jws/verify.ts'
import type { KeySource } from '../../jws/key-source.ts'
import { createLocalJwks } from '../../jwks/local.ts'
import { isJsonObject, parseJsonStrict } from '../../util/json.ts'
import { decodeBase64url } from '../../util/base64url.ts'
import { EXIT_STATUS, parseFlags, printJson, readFileArg, readToken, type CliIo, type Command } from '../command.ts'
import { readTimes } from '../times.ts'
import { isSetShape, readKeyInput } from './read-key.ts'

const help = `Usage: jwk verify (--jwks FILE|URL | --issuer ISSUER | --store URL) [--iss I] [--aud A] [--alg A] [--typ T] [--payload FILE] [TOKEN | -]

Verifies a JWT and prints {"verified": true, "header", "claims", "times", "kid"} on stdout.
A JWS whose payload is not a JSON object (e.g. made by jwk sign --payload FILE) is verified
as a plain JWS and printed as {"verified": true, "header", "payload"} (payload as text when it
is UTF-8, else "payloadBase64url"); claim options then refuse it. A JSON serialization JWS
(flattened or general) is accepted too. TOKEN is read from standard input when it is - or
absent. On failure prints the error code and exits 1.

Options:
  --jwks FILE          JWK Set (or one JWK; an encrypted JWK file opens with the passphrase
                       options) holding the verification keys
  --jwks URL           fetch the JWK Set from an https URL (http only for loopback)
  --issuer ISSUER      discover the issuer's jwks_uri (OpenID Connect / RFC 8414);
                       also requires iss = ISSUER unless --iss says otherwise
  --store URL          the keys a key store publishes (sqlite:PATH, postgres://…): its
                       active, next and retired public keys, as jwk serve serves them
                       (public keys only: no KEK is needed or read)
  --iss I              required issuer
  --aud A              required audience (one of the token's aud values)
  --alg A              accepted algorithm; repeat or comma-separate for several
                       (default: what each key's alg, type and curve permit)
  --typ T              required typ header, e.g. at+jwt
  --clock-tolerance S  leeway for exp/nbf/iat: 30, 30s, 2m
  --payload FILE       the content of a detached JWS (RFC 7515 Appendix F)
  --passphrase-file F  passphrase of an encrypted --jwks file
  --passphrase-env VAR the same, from the environment variable VAR
  --json               errors as {"error": {"code", "message"}} on stderr (output is JSON anyway)
  -h, --help           show this help

Examples:
  jwk verify --jwks jwks.json --iss https://issuer.example --aud api "$TOKEN"
  echo "$TOKEN" | jwk verify --jwks jwks.json --alg RS256,ES256 -
  jwk verify --jwks pub.json --payload doc.bin doc.jws
  jwk verify --store sqlite:keys.db --aud api "$(jwk sign --store sqlite:keys.db --claims '{"aud":"api"}')"

${EXIT_STATUS}A token that fails verification exits 1; a JWKS endpoint that cannot be reached exits 3.
`

const FLAGS = {
  jwks: { type: 'string' }, issuer: { type: 'string' }, store: { type: 'string' }, iss: { type: 'string' }, aud: { type: 'string' }, alg: { type: 'string', multiple: true },
  typ: { type: 'string' }, 'clock-tolerance': { type: 'string' }, payload: { type: 'string' },
  'passphrase-file': { type: 'string' }, 'passphrase-env': { type: 'string' },
} as const

type VerifyFlags = ReturnType<typeof parseFlags<typeof FLAGS>>['values']

/** Builds the key source the flags name (one place, so other sources can be added here). */
export async function keySourceFromFlags(values: VerifyFlags, io: CliIo): Promise<KeySource> {
  const named = [values.jwks, values.issuer, values.store].filter((v) => v !== undefined).length
  if (named !== 1) throw new JwkitError('ERR_CLI_USAGE', 'jwk verify needs one of --jwks FILE|URL, --issuer ISSUER or --store URL')
  if (values.store !== undefined) {
    const { publishedSetOfStore } = await import('./keys.ts')
    return createLocalJwks(await publishedSetOfStore(io, values.store))
  }
  // Remote sources: the URL comes from the command line, never from the token (RFC 8725 §3.10).
  if (values.issuer !== undefined || /^https?:\/\//i.test(values.jwks!)) {
    const { createRemoteJwks } = await import('../../jwks/remote.ts')
    return values.issuer !== undefined ? createRemoteJwks({ issuer: values.issuer }) : createRemoteJwks(values.jwks!)
  }
  const input = await readKeyInput(io, values.jwks, values, '--jwks')
  return createLocalJwks(isSetShape(input.value) ? (input.value as never) : ([input.value] as never))
}

/** `--clock-tolerance`: a duration (30, 30s, 2m); anything else is a usage error. */
function clockTolerance(value: string | undefined): string | number | undefined {
  if (value === undefined) return undefined
  if (!/^\d{1,9}(?:\.\d{1,3})?(?:ms|s|m|h|d)?$/.test(value.trim())) throw new JwkitError('ERR_CLI_USAGE', '--clock-tolerance is a duration such as 30, 30s or 2m')
  return /^\d+$/.test(value.trim()) ? Number(value) : value.trim()
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'verify a JWT or JWS and print its header and claims (or payload)',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(argv, FLAGS)
    if (positionals.length > 1) throw new JwkitError('ERR_CLI_USAGE', 'jwk verify takes one TOKEN (or - for stdin)')
    const tolerance = clockTolerance(values['clock-tolerance'])
    const algorithms = values.alg?.flatMap((a) => a.split(',')).map((a) => a.trim()).filter((a) => a !== '')
    const detached = values.payload === undefined ? undefined : readFileArg(io, values.payload, '--payload')
    const token = readToken(io, positionals[0])
    const source = await keySourceFromFlags(values, io)
    const claimFlags = values.iss !== undefined || values.aud !== undefined || values.issuer !== undefined || tolerance !== undefined
    const alg = algorithms === undefined || algorithms.length === 0 ? {} : { algorithms }
    if (detached !== undefined || token.startsWith('{') || (!claimFlags && !looksLikeJwt(token))) {
      let jws: string | object = token
      if (token.startsWith('{')) {
        jws = parseJsonStrict(token, { maxBytes: 1024 * 1024, code: 'ERR_JWS_INVALID', what: 'the JWS JSON serialization' }) as object
      }
      if (claimFlags) throw new JwkitError('ERR_CLI_USAGE', '--iss, --aud, --issuer and --clock-tolerance check JWT claims; a detached or JSON-serialized JWS has none')
      const result = await verifyJws(jws as string, source, { ...alg, ...(detached === undefined ? {} : { detachedPayload: detached }) })
      if (values.typ !== undefined && result.protectedHeader.typ !== values.typ) throw new JwkitError('ERR_JWT_CLAIM_INVALID', `the typ header is not ${JSON.stringify(values.typ.slice(0, 100))}`, { path: '/typ' })
      const text = utf8(result.payload)
      printJson(io, {
        verified: true, header: result.protectedHeader,
        ...(detached !== undefined ? { detached: true } : text === undefined ? { payloadBase64url: Buffer.from(result.payload).toString('base64url') } : { payload: text }),
        ...(result.key.kid === undefined ? {} : { kid: result.key.kid }),
      })
      return 0
    }
    const result = await verifyJwt(token, source, {
      ...alg,
      ...(values.iss === undefined ? (values.issuer === undefined ? {} : { issuer: values.issuer }) : { issuer: values.iss }),
      ...(values.aud === undefined ? {} : { audience: values.aud }),
      ...(values.typ === undefined ? {} : { typ: values.typ }),
      ...(tolerance === undefined ? {} : { clockTolerance: tolerance }),
    })
    const times = readTimes(result.claims)
    printJson(io, { verified: true, header: result.protectedHeader, claims: result.claims, ...(times === undefined ? {} : { times }), ...(result.key.kid === undefined ? {} : { kid: result.key.kid }) })
    return 0
  },
}

/** An unverified look at a compact token: is its payload a JSON object (a JWT)? Only picks the verifier. */
function looksLikeJwt(token: string): boolean {
  const payload = token.split('.')[1]
  const bytes = payload === undefined ? undefined : decodeBase64url(payload)
  if (bytes === undefined) return true // let verifyJwt report the malformed token
  try {
    return isJsonObject(parseJsonStrict(bytes, { maxBytes: 1024 * 1024, maxDepth: 32 }))
  } catch {
    return false
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true })

function utf8(bytes: Uint8Array): string | undefined {
  try {
    const text = decoder.decode(bytes)
    // Control characters other than tab and newlines make it binary for display.
    return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? undefined : text
  } catch {
    return undefined
  }
}
