/**
 * @module cli/commands/convert
 * `jwk convert [FILE|-] --to FORMAT`: reads a key in any format jwkit knows (JWK, JWK Set, PEM,
 * DER, OpenSSH public key line, COSE_Key as bytes, hex or base64; formats/detect) and writes it
 * as a JWK (RFC 7517), PEM (RFC 7468: SPKI, PKCS#8 plain or encrypted, PKCS#1, SEC1), an
 * OpenSSH line (RFC 4253 §6.6) or a COSE_Key (RFC 9052 §7). Binary output (DER, COSE) goes to
 * --out or is printed as hex/base64 with --encoding; raw bytes never go to stdout.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { JwkitError } from '../../errors.ts'
import { isPrivateJwk } from '../../jwk/public.ts'
import type { Jwk } from '../../jwk/types.ts'
import { toCose } from '../../formats/cose.ts'
import { readKey } from '../../formats/detect.ts'
import { encodePem, LABEL_BY_KIND } from '../../formats/pem.ts'
import { toSsh } from '../../formats/ssh.ts'
import { toDer, type PemFormat } from '../../formats/to-pem.ts'
import { parseFlags, printJson, type CliIo, type Command } from '../command.ts'

const TARGETS = ['jwk', 'pem', 'spki', 'pkcs8', 'pkcs1', 'sec1', 'ssh', 'cose'] as const
type Target = (typeof TARGETS)[number]

const help = `Usage: jwk convert [FILE|-] --to jwk|pem|spki|pkcs8|pkcs1|sec1|ssh|cose [options]

Reads a key from FILE (or standard input for - or no FILE) in any of these formats, detected
from the content: JWK or JWK Set (JSON), PEM (PUBLIC KEY, PRIVATE KEY, ENCRYPTED PRIVATE KEY,
RSA PRIVATE KEY, RSA PUBLIC KEY, EC PRIVATE KEY, CERTIFICATE chain), DER, an OpenSSH public key
line (ssh-rsa, ecdsa-sha2-nistp256/384/521, ssh-ed25519), or a COSE_Key (CBOR bytes, hex or
base64). Writes it in the --to format.

Targets:
  jwk                 the JWK (JSON); a JWK Set stays a set
  pem                 PEM: PKCS#8 for a private key, SPKI for a public one
  spki pkcs8 pkcs1 sec1
                      PEM of that structure (pkcs1: RSA only; sec1: EC private keys only)
  ssh                 an OpenSSH public key line (RSA, P-256/384/521, Ed25519)
  cose                a COSE_Key (binary: needs --out or --encoding)

Options:
  --passphrase-file F       passphrase opening an encrypted PKCS#8 input (first line of F)
  --out-passphrase-file F   encrypt the PKCS#8 output (AES-256-CBC, PBKDF2-HMAC-SHA256)
  --iterations N            PBKDF2 iterations with --out-passphrase-file (default 600000)
  --der                     write DER instead of PEM (binary: needs --out or --encoding)
  --out FILE                write to FILE instead of stdout (private keys get mode 0600)
  --encoding hex|base64     print binary output as text
  --comment C               comment of the OpenSSH line (default: the input's comment)
  -h, --help                show this help

Examples:
  jwk convert key.pem --to jwk
  jwk convert id_ed25519.pub --to jwk
  jwk convert key.json --to pkcs8 --out-passphrase-file pass.txt --out key.p8.pem
  jwk convert key.json --to cose --encoding hex
  jwk convert cert-chain.pem --to jwk          (the leaf's key, with x5c and x5t#S256)

Exit status: 0 success, 1 invalid input (wrong passphrase, malformed key), 2 wrong usage.
`

function usage(message: string): JwkitError {
  return new JwkitError('ERR_CLI_USAGE', message)
}

/** RFC-free convention shared with openssl's file: source: the first line, without its newline. */
function readPassphrase(file: string): string {
  const text = readFileSync(file, 'utf8')
  const first = text.split(/\r?\n/)[0] ?? ''
  if (first === '') throw usage(`the passphrase file ${file} is empty`)
  return first
}

export const convertCommand: Command = {
  name: 'convert',
  summary: 'convert a key between JWK, PEM/DER, OpenSSH and COSE (input format detected)',
  help,
  run(argv: string[], io: CliIo): number {
    const { values, positionals } = parseFlags(argv, {
      to: { type: 'string' },
      'passphrase-file': { type: 'string' },
      'out-passphrase-file': { type: 'string' },
      der: { type: 'boolean' },
      out: { type: 'string' },
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
    if (values['out-passphrase-file'] !== undefined && to !== 'pkcs8' && to !== 'pem') throw usage('--out-passphrase-file needs --to pkcs8 (or pem)')
    if (values.comment !== undefined && to !== 'ssh') throw usage('--comment applies to --to ssh')
    if (values.iterations !== undefined && values['out-passphrase-file'] === undefined) throw usage('--iterations applies to --out-passphrase-file')
    if (values.iterations !== undefined && !/^[1-9][0-9]{0,6}$/.test(values.iterations) || Number(values.iterations) > 2_000_000) throw usage('--iterations is a number from 1 to 2000000')
    const iterations = values.iterations === undefined ? {} : { iterations: Number(values.iterations) }

    const passphrase = values['passphrase-file'] === undefined ? undefined : readPassphrase(values['passphrase-file'])
    const read = readKey(io.readInput(positionals[0]), passphrase === undefined ? {} : { passphrase })
    if (read.jwks !== undefined && to === 'jwk') return emitText(io, values.out, JSON.stringify(read.jwks, null, 2) + '\n', false)
    let jwk: Jwk
    if (read.jwks !== undefined) {
      if (read.jwks.keys.length !== 1) throw usage(`the JWK Set holds ${read.jwks.keys.length} keys; --to ${to} converts one key (use jwk convert --to jwk on one key)`)
      jwk = read.jwks.keys[0]!
    } else {
      jwk = read.jwk!
    }
    const secret = isPrivateJwk(jwk)
    switch (to) {
      case 'jwk':
        if (values.out === undefined) {
          printJson(io, jwk)
          return 0
        }
        return emitText(io, values.out, JSON.stringify(jwk, null, 2) + '\n', secret)
      case 'ssh':
        return emitText(io, values.out, toSsh(jwk, values.comment ?? read.comment) + '\n', false)
      case 'cose':
        return emitBinary(io, values.out, encoding, toCose(jwk), secret)
      default: {
        const format = to === 'pem' ? undefined : (to as PemFormat)
        const outPassphrase = values['out-passphrase-file'] === undefined ? undefined : readPassphrase(values['out-passphrase-file'])
        if (outPassphrase !== undefined && !secret) throw usage('--out-passphrase-file needs a private key')
        let result
        try {
          result = toDer(jwk, { ...(format === undefined ? {} : { format }), ...(outPassphrase === undefined ? {} : { passphrase: outPassphrase, format: 'pkcs8' as const, ...iterations }) })
        } catch (error) {
          if (error instanceof TypeError) throw usage(error.message)
          throw error
        }
        const isSecret = result.kind !== 'spki' && result.kind !== 'pkcs1-public'
        if (der) return emitBinary(io, values.out, encoding, result.der, isSecret)
        return emitText(io, values.out, encodePem(LABEL_BY_KIND[result.kind], result.der), isSecret)
      }
    }
  },
}

function emitText(io: CliIo, out: string | undefined, text: string, secret: boolean): number {
  if (out === undefined) io.stdout(text)
  else writeFileSync(out, text, { mode: secret ? 0o600 : 0o644 })
  return 0
}

function emitBinary(io: CliIo, out: string | undefined, encoding: string | undefined, bytes: Uint8Array, secret: boolean): number {
  if (encoding !== undefined) return emitText(io, out, Buffer.from(bytes).toString(encoding as 'hex' | 'base64') + '\n', secret)
  if (out === undefined) throw usage('the output is binary: give --out FILE or --encoding hex|base64')
  writeFileSync(out, bytes, { mode: secret ? 0o600 : 0o644 })
  return 0
}
