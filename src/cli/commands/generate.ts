/**
 * @module cli/commands/generate
 * `jwk generate ALG|KTY`: prints a new private JWK (RFC 7517 §4) on stdout, thin over
 * `generateJwk` (RSA RFC 7518 §6.3, EC §6.2, OKP RFC 8037, secp256k1 RFC 8812, oct §6.4,
 * AKP draft-ietf-cose-dilithium).
 */
import { generateJwk, type GenerateJwkOptions } from '../../crypto/generate.ts'
import { JwkitError, isJwkitError } from '../../errors.ts'
import type { EcCurve, KeySpec, KeyType, OkpCurve } from '../../jwk/types.ts'
import { EXIT_STATUS, emit, parseFlags, type CliIo, type Command } from '../command.ts'
import { OUT_PASSPHRASE_FLAGS, outputPassphrase } from '../passphrase.ts'

const KEY_TYPES: readonly string[] = ['RSA', 'EC', 'OKP', 'oct', 'AKP']

const help = `Usage: jwk generate ALG|KTY [--crv C] [--size N] [--kid ID | --kid-thumbprint] [--use sig|enc] [--alg A]
                    [--out FILE [--force]] [--out-passphrase-file F | --out-passphrase-env VAR | --out-passphrase-prompt]

Prints a new private JWK (JSON) on stdout, or writes it to --out FILE with mode 0600.
With an output passphrase, writes an encrypted JWK file instead (RFC 7517 Appendix C: a compact
JWE, PBES2-HS256+A128KW with 600000 PBKDF2 iterations, A256GCM, cty jwk+json), which every
jwk command that reads a key opens with --passphrase-file, --passphrase-env or a prompt.

ALG is a JWA algorithm; the key gets that "alg" and its "use":
  RS256 RS384 RS512 PS256 PS384 PS512        RSA, 2048 bits (--size for more)
  ES256 ES384 ES512 ES256K                   EC P-256, P-384, P-521, secp256k1
  EdDSA Ed25519 Ed448                        OKP Ed25519 (EdDSA, Ed25519) or Ed448
  HS256 HS384 HS512                          oct, 32/48/64 bytes
  A128KW A192KW A256KW A128GCM ... A256GCM   oct, 16/24/32 bytes
  A128CBC-HS256 A192CBC-HS384 A256CBC-HS512  oct, 32/48/64 bytes
  RSA-OAEP RSA-OAEP-256 RSA-OAEP-384 RSA-OAEP-512
  ECDH-ES ECDH-ES+A128KW ...                 EC P-256 (--crv P-384, P-521, X25519, X448)
  ML-DSA-44 ML-DSA-65 ML-DSA-87              AKP (post-quantum, FIPS 204)
KTY is a key type, for a key without "alg":
  RSA [--size 2048]   EC [--crv P-256|P-384|P-521|secp256k1]
  OKP [--crv Ed25519|Ed448|X25519|X448]   oct [--size 256]   AKP [--alg ML-DSA-65]

Options:
  --crv C            curve (EC, OKP, ECDH-ES*)
  --size N           RSA modulus or oct secret size in bits (RSA: 2048 or more)
  --kid ID           set "kid"
  --kid-thumbprint   set "kid" to the RFC 7638 SHA-256 thumbprint
  --use sig|enc      set "use" (default: the algorithm's)
  --alg A            set "alg" on a KTY key
  --out FILE         write to FILE (mode 0600, written beside it and renamed into place)
  --force            replace an existing --out FILE
  --out-passphrase-file F    encrypt the key with the first line of F
  --out-passphrase-env VAR   encrypt the key with the value of the environment variable VAR
  --out-passphrase-prompt    encrypt the key with a passphrase asked on the terminal (twice)
  --json             with --out: print {"out", "kid", "kty", "encrypted"}; errors as JSON on stderr
  -h, --help         show this help

Standard output redirected to a file (jwk generate ES256 > key.json) gets the umask's mode;
on a terminal this is pointed out. Prefer --out.

Examples:
  jwk generate ES256 --kid-thumbprint > es256.json
  jwk generate RSA --size 3072 --use sig
  jwk generate OKP --crv X25519
  jwk generate HS256 --kid hmac-1
  jwk generate ES256 --kid-thumbprint | jwk public
  jwk generate ES256 --out key.jwe --out-passphrase-prompt

${EXIT_STATUS}Wrong usage includes an unknown algorithm, RSA under 2048 bits, a bad option.
`

export const generateCommand: Command = {
  name: 'generate',
  summary: 'print a new private JWK (ALG or KTY)',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(argv, {
      crv: { type: 'string' },
      size: { type: 'string' },
      kid: { type: 'string' },
      'kid-thumbprint': { type: 'boolean' },
      use: { type: 'string' },
      alg: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
      ...OUT_PASSPHRASE_FLAGS,
    })
    if (positionals.length !== 1) throw usage('jwk generate takes exactly one ALG or KTY (see jwk generate --help)')
    const what = positionals[0]!
    if (values.kid !== undefined && values['kid-thumbprint'] === true) throw usage('--kid and --kid-thumbprint exclude each other')
    if (values.use !== undefined && values.use !== 'sig' && values.use !== 'enc') throw usage(`--use is sig or enc, not ${JSON.stringify(values.use)}`)
    let size: number | undefined
    if (values.size !== undefined) {
      if (!/^[1-9][0-9]{0,5}$/.test(values.size)) throw usage(`--size is a number of bits, not ${JSON.stringify(values.size)}`)
      size = Number(values.size)
    }
    const options: GenerateJwkOptions = {}
    if (values.kid !== undefined) options.kid = values.kid
    if (values['kid-thumbprint'] === true) options.kid = 'thumbprint'
    if (values.use !== undefined) options.use = values.use as 'sig' | 'enc'
    let spec: string | KeySpec
    if (KEY_TYPES.includes(what)) {
      spec = { kty: what as KeyType }
      if (values.crv !== undefined) spec.crv = values.crv as EcCurve | OkpCurve
      if (size !== undefined) spec.size = size
      if (values.alg !== undefined) {
        if (what === 'AKP') spec.alg = values.alg
        else options.alg = values.alg
      }
    } else {
      spec = what
      if (values.crv !== undefined) options.crv = values.crv as EcCurve | OkpCurve
      if (size !== undefined) options.size = size
      if (values.alg !== undefined && values.alg !== what) throw usage(`--alg ${values.alg} contradicts ${what}`)
    }
    if (values.force === true && values.out === undefined) throw usage('--force applies to --out')
    const passphrase = await outputPassphrase(io, values, 'the new key file')
    let jwk
    try {
      jwk = await generateJwk(spec, options)
    } catch (error) {
      // A spec generateJwk refuses (unknown alg, RSA < 2048, wrong curve) is a usage mistake here.
      if (isJwkitError(error) && error.code === 'ERR_KEY_GENERATION_FAILED') throw usage(error.message)
      throw error
    }
    const { encryptJwk } = passphrase === undefined ? { encryptJwk: undefined } : await import('../../jwe/encrypted-jwk.ts')
    const text = encryptJwk === undefined ? JSON.stringify(jwk, null, 2) + '\n' : (await encryptJwk(jwk, passphrase!)) + '\n'
    if (values.json === true && values.out !== undefined) {
      emit(io, text, { out: values.out, force: values.force, secret: true, command: 'generate' })
      io.stdout(JSON.stringify({ out: values.out, kty: jwk.kty, ...(jwk.kid === undefined ? {} : { kid: jwk.kid }), encrypted: passphrase !== undefined }) + '\n')
      return 0
    }
    if (values.json === true && passphrase !== undefined) {
      emit(io, JSON.stringify({ encrypted: text.trim() }) + '\n', { secret: true, command: 'generate' })
      return 0
    }
    emit(io, text, { out: values.out, force: values.force, secret: true, command: 'generate' })
    return 0
  },
}

function usage(message: string): JwkitError {
  return new JwkitError('ERR_CLI_USAGE', message)
}
