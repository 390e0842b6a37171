/**
 * @module cli/commands/convert
 * `jwk convert [FILE|-] --to FORMAT`: reads a key in any format jwkit knows (JWK, JWK Set, PEM,
 * DER, OpenSSH public key line, COSE_Key as bytes, hex or base64; formats/detect) and writes it
 * as a JWK (RFC 7517), PEM (RFC 7468: SPKI, PKCS#8 plain or encrypted, PKCS#1, SEC1), an
 * OpenSSH line (RFC 4253 §6.6) or a COSE_Key (RFC 9052 §7). Binary output (DER, COSE) goes to
 * --out or is printed as hex/base64 with --encoding; raw bytes never go to stdout.
 */
import { JwkitError } from '../../errors.ts'
import { isPrivateJwk } from '../../jwk/public.ts'
import type { Jwk } from '../../jwk/types.ts'
import { toCose } from '../../formats/cose.ts'
import { encodePem, LABEL_BY_KIND } from '../../formats/pem.ts'
import { toSsh } from '../../formats/ssh.ts'
import { toDer, type PemFormat } from '../../formats/to-pem.ts'
import { EXIT_STATUS, emit, parseFlags, type CliIo, type Command } from '../command.ts'
import { OUT_PASSPHRASE_FLAGS, outputPassphrase } from '../passphrase.ts'
import { KEY_INPUT_FLAGS, readAnyKey } from './read-key.ts'

const TARGETS = ['jwk', 'pem', 'spki', 'pkcs8', 'pkcs1', 'sec1', 'ssh', 'cose'] as const
type Target = (typeof TARGETS)[number]

const help = `Usage: jwk convert [FILE|-] --to jwk|pem|spki|pkcs8|pkcs1|sec1|ssh|cose [options]

Reads a key from FILE (or standard input for - or no FILE) in any of these formats, detected
from the content: JWK or JWK Set (JSON), PEM (PUBLIC KEY, PRIVATE KEY, ENCRYPTED PRIVATE KEY,
RSA PRIVATE KEY, RSA PUBLIC KEY, EC PRIVATE KEY, CERTIFICATE chain), DER, an OpenSSH public key
line (ssh-rsa, ecdsa-sha2-nistp256/384/521, ssh-ed25519), an OpenSSH private key file
(openssh-key-v1, with or without a passphrase), an encrypted JWK file (RFC 7517 Appendix C),
or a COSE_Key (CBOR bytes, hex or base64). Writes it in the --to format.

Targets:
  jwk                 the JWK (JSON); a JWK Set stays a set; with an output passphrase,
                      an encrypted JWK file (PBES2-HS256+A128KW, 600000 iterations, A256GCM)
  pem                 PEM: PKCS#8 for a private key, SPKI for a public one
  spki pkcs8 pkcs1 sec1
                      PEM of that structure (pkcs1: RSA only; sec1: EC private keys only)
  ssh                 an OpenSSH public key line (RSA, P-256/384/521, Ed25519)
  cose                a COSE_Key (binary: needs --out or --encoding)

Options:
  --passphrase-file F       passphrase opening an encrypted input (PKCS#8, OpenSSH, JWK file;
                            first line of F); without it an encrypted input prompts on a terminal
  --passphrase-env VAR      the same passphrase from the environment variable VAR
  --kid K                   convert the key of a JWK Set with kid K
  --out-passphrase-file F   encrypt the output: PKCS#8 (AES-256-CBC, PBKDF2-HMAC-SHA256) for
                            --to pkcs8|pem, an encrypted JWK file for --to jwk
  --out-passphrase-env VAR  the same, from the environment variable VAR
  --out-passphrase-prompt   the same, asked on the terminal (twice)
  --iterations N            PBKDF2 iterations of an encrypted PKCS#8 output (default 600000)
  --der                     write DER instead of PEM (binary: needs --out or --encoding)
  --out FILE                write to FILE instead of stdout (private keys get mode 0600,
                            written beside FILE and renamed into place)
  --force                   replace an existing --out FILE
  --encoding hex|base64     print binary output as text
  --comment C               comment of the OpenSSH line (default: the input's comment)
  --json                    print {"to", "text"} (or {"to", "out"} with --out; the JWK for --to jwk)
  -h, --help                show this help

Examples:
  jwk convert key.pem --to jwk
  jwk convert id_ed25519.pub --to jwk
  jwk convert key.json --to pkcs8 --out-passphrase-file pass.txt --out key.p8.pem
  jwk convert key.json --to cose --encoding hex
  jwk convert cert-chain.pem --to jwk          (the leaf's key, with x5c and x5t#S256)

${EXIT_STATUS}Invalid input includes a wrong passphrase and a malformed key.
`

function usage(message: string): JwkitError {
  return new JwkitError('ERR_CLI_USAGE', message)
}

export const convertCommand: Command = {
  name: 'convert',
  summary: 'convert a key between JWK, PEM/DER, OpenSSH and COSE (input format detected)',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(argv, {
      to: { type: 'string' },
      ...KEY_INPUT_FLAGS,
      ...OUT_PASSPHRASE_FLAGS,
      der: { type: 'boolean' },
      out: { type: 'string' },
      force: { type: 'boolean' },
      encoding: { type: 'string' },
      comment: { type: 'string' },
      iterations: { type: 'string' },
    })
    if (positionals.length > 1) throw usage(`jwk convert takes one FILE (or - for stdin), got ${positionals.length}`)
    const to = values.to as Target | undefined
    if (to === undefined || !TARGETS.includes(to)) throw usage(`--to must be one of ${TARGETS.join(', ')}`)
    const encoding = values.encoding
    if (encoding !== undefined && encoding !== 'hex' && encoding !== 'base64') throw usage('--encoding is hex or base64')
    const der = values.der === true
    if (der && !['pem', 'spki', 'pkcs8', 'pkcs1', 'sec1'].includes(to)) throw usage('--der applies to pem, spki, pkcs8, pkcs1 and sec1')
    const wantsOutPassphrase = values['out-passphrase-file'] !== undefined || values['out-passphrase-env'] !== undefined || values['out-passphrase-prompt'] === true
    if (wantsOutPassphrase && to !== 'pkcs8' && to !== 'pem' && to !== 'jwk') throw usage('an output passphrase needs --to pkcs8 (or pem) or --to jwk')
    if (values.comment !== undefined && to !== 'ssh') throw usage('--comment applies to --to ssh')
    if (values.force === true && values.out === undefined) throw usage('--force applies to --out')
    if (values.iterations !== undefined && (!wantsOutPassphrase || to === 'jwk')) throw usage('--iterations applies to an encrypted PKCS#8 output')
    if ((values.iterations !== undefined && !/^[1-9][0-9]{0,6}$/.test(values.iterations)) || Number(values.iterations) > 2_000_000) throw usage('--iterations is a number from 1 to 2000000')
    const iterations = values.iterations === undefined ? {} : { iterations: Number(values.iterations) }

    const read = await readAnyKey(io, positionals[0], values, positionals[0] === undefined || positionals[0] === '-' ? 'standard input' : 'the input file')
    const output = new Output(io, values.out, values.force === true, values.json === true, to)
    let jwk: Jwk
    if (read.jwks !== undefined && to === 'jwk') {
      const outPassphrase = await outputPassphrase(io, values, 'the encrypted JWK Set file')
      if (outPassphrase !== undefined) {
        const { encryptJwk } = await import('../../jwe/encrypted-jwk.ts')
        return output.text(await encryptJwk(read.jwks, outPassphrase) + '\n', true)
      }
      return output.json(read.jwks, read.jwks.keys.some(isPrivateJwk))
    }
    if (read.jwks !== undefined) {
      if (read.jwks.keys.length !== 1) throw usage(`the JWK Set holds ${read.jwks.keys.length} keys; --to ${to} converts one key (pick one with --kid K)`)
      jwk = read.jwks.keys[0]!
    } else {
      jwk = read.jwk!
    }
    const secret = isPrivateJwk(jwk)
    switch (to) {
      case 'jwk': {
        const outPassphrase = await outputPassphrase(io, values, 'the encrypted JWK file')
        if (outPassphrase !== undefined) {
          const { encryptJwk } = await import('../../jwe/encrypted-jwk.ts')
          return output.text(await encryptJwk(jwk, outPassphrase) + '\n', true)
        }
        return output.json(jwk, secret)
      }
      case 'ssh':
        return output.text(toSsh(jwk, values.comment ?? read.comment) + '\n', false)
      case 'cose':
        return output.binary(encoding, toCose(jwk), secret)
      default: {
        const format = to === 'pem' ? undefined : (to as PemFormat)
        const outPassphrase = await outputPassphrase(io, values, 'the encrypted PKCS#8 key')
        if (outPassphrase !== undefined && !secret) throw usage('an output passphrase needs a private key')
        let result
        try {
          result = toDer(jwk, { ...(format === undefined ? {} : { format }), ...(outPassphrase === undefined ? {} : { passphrase: outPassphrase, format: 'pkcs8' as const, ...iterations }) })
        } catch (error) {
          if (error instanceof TypeError) throw usage(error.message)
          throw error
        }
        const isSecret = result.kind !== 'spki' && result.kind !== 'pkcs1-public'
        if (der) return output.binary(encoding, result.der, isSecret)
        return output.text(encodePem(LABEL_BY_KIND[result.kind], result.der), isSecret)
      }
    }
  },
}

/** Where the converted key goes: --out FILE (atomic, 0600 when secret) or stdout; --json wraps text. */
class Output {
  readonly io: CliIo
  readonly out: string | undefined
  readonly force: boolean
  readonly asJson: boolean
  readonly to: string
  constructor(io: CliIo, out: string | undefined, force: boolean, asJson: boolean, to: string) {
    this.io = io
    this.out = out
    this.force = force
    this.asJson = asJson
    this.to = to
  }

  json(value: unknown, secret: boolean): number {
    return this.text(JSON.stringify(value, null, 2) + '\n', secret, true)
  }

  text(text: string, secret: boolean, isJson = false): number {
    emit(this.io, this.asJson && this.out === undefined && !isJson ? JSON.stringify({ to: this.to, text }) + '\n' : text, { out: this.out, force: this.force, secret, command: 'convert' })
    if (this.asJson && this.out !== undefined) this.io.stdout(JSON.stringify({ to: this.to, out: this.out }) + '\n')
    return 0
  }

  binary(encoding: string | undefined, bytes: Uint8Array, secret: boolean): number {
    if (encoding !== undefined) return this.text(Buffer.from(bytes).toString(encoding as 'hex' | 'base64') + '\n', secret)
    if (this.out === undefined) throw usage('the output is binary: give --out FILE or --encoding hex|base64')
    emit(this.io, bytes, { out: this.out, force: this.force, secret, command: 'convert' })
    if (this.asJson) this.io.stdout(JSON.stringify({ to: this.to, out: this.out }) + '\n')
    return 0
  }
}
