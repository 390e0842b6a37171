/**
 * @module cli/commands/inspect
 * `jwk inspect [FILE] [--json]`: a human summary of a JWK or of each key of a JWK Set: key type
 * and curve or size (RFC 7518 §6, RFC 8037 §2, draft-ietf-cose-dilithium), public or private,
 * RFC 7638 thumbprint, `use`/`alg`/`key_ops`/`kid` (RFC 7517 §4), and the subject, issuer and
 * validity of `x5c[0]` (RFC 7517 §4.7, RFC 5280 §4.1).
 */
import { rsaModulusBits } from '../../jwk/algorithms.ts'
import { parseJwk } from '../../jwk/parse.ts'
import { isPrivateJwk } from '../../jwk/public.ts'
import { parseJwkSet } from '../../jwk/set.ts'
import { thumbprint } from '../../jwk/thumbprint.ts'
import type { Jwk } from '../../jwk/types.ts'
import { decodeBase64 } from '../../util/base64url.ts'
import { sshFingerprint } from '../../formats/ssh.ts'
import { describeX509, type X509Description } from '../../formats/x509.ts'
import { EXIT_STATUS, parseFlags, printJson, type CliIo, type Command } from '../command.ts'
import { KEY_INPUT_FLAGS, printSetNotes, readKeyInput, singleFile } from './read-key.ts'

const help = `Usage: jwk inspect [FILE] [--kid K] [--json]

Prints a summary of a JWK, or of each key of a JWK Set (FILE, or standard input when FILE
is - or absent): key type, curve or size, public or private, RFC 7638 SHA-256 thumbprint,
the OpenSSH SHA-256 fingerprint (as ssh-keygen -l prints it; RSA, P-256/384/521, Ed25519, Ed448),
use, alg, key_ops, kid, and for a certificate chain (x5c) the first certificate's subject,
issuer and validity dates. The key is checked strictly first; see "jwk validate" for every
problem of an invalid key.

Options:
  --json       print the summary as JSON (an array for a JWK Set)
  --kid K                  only the key of a JWK Set with kid K
  --passphrase-file F      passphrase of an encrypted JWK file (first line of F)
  --passphrase-env VAR     passphrase of an encrypted JWK file, from the environment
  -h, --help               show this help

Examples:
  jwk inspect key.json
  jwk generate ES384 --kid-thumbprint | jwk inspect
  jwk inspect --json jwks.json

${EXIT_STATUS}`

export interface KeySummary {
  kty: string
  /** EC/OKP curve, AKP parameter set. */
  crv?: string
  /** RSA modulus or oct secret size in bits. */
  bits?: number
  private: boolean
  thumbprint: string
  kid?: string
  use?: string
  alg?: string
  key_ops?: string[]
  /** `ssh-keygen -l -E sha256` fingerprint, for the key types OpenSSH has (RSA, P-256/384/521, Ed25519, Ed448). */
  sshFingerprint?: string
  certificate?: X509Description
}

/** The summary of one checked JWK. */
export function summarize(jwk: Jwk): KeySummary {
  const out: KeySummary = { kty: jwk.kty, private: isPrivateJwk(jwk), thumbprint: thumbprint(jwk, 'sha256') }
  if (jwk.kty === 'EC' || jwk.kty === 'OKP') out.crv = jwk.crv
  if (jwk.kty === 'AKP') out.crv = jwk.alg
  if (jwk.kty === 'RSA') out.bits = rsaModulusBits(jwk.n)
  if (jwk.kty === 'oct') out.bits = Buffer.from(jwk.k, 'base64url').length * 8
  if (jwk.kid !== undefined) out.kid = jwk.kid
  if (jwk.use !== undefined) out.use = jwk.use
  if (jwk.alg !== undefined) out.alg = jwk.alg
  if (jwk.key_ops !== undefined) out.key_ops = [...jwk.key_ops]
  const ssh = sshFingerprintOf(jwk)
  if (ssh !== undefined) out.sshFingerprint = ssh
  const first = jwk.x5c?.[0]
  const der = first === undefined ? undefined : decodeBase64(first)
  if (der !== undefined) {
    // parseJwk has checked x5c[0] is a DER certificate (RFC 7517 §4.7).
    out.certificate = describeX509(der)
  }
  return out
}

/** The OpenSSH fingerprint, when OpenSSH has the key type (RFC 4253, RFC 5656, RFC 8709). */
function sshFingerprintOf(jwk: Jwk): string | undefined {
  const sshable = jwk.kty === 'RSA' || (jwk.kty === 'EC' && jwk.crv !== 'secp256k1') || (jwk.kty === 'OKP' && (jwk.crv === 'Ed25519' || jwk.crv === 'Ed448'))
  return sshable ? sshFingerprint(jwk) : undefined
}

const indent = (text: string) => text.split('\n').map((l) => (l ? '  ' + l : l)).join('\n')

function render(s: KeySummary, now: Date): string {
  const type = s.kty === 'RSA' ? `RSA ${s.bits} bits` : s.kty === 'oct' ? `oct (symmetric) ${s.bits} bits` : `${s.kty} ${s.crv}`
  const rows: Array<[string, string]> = [
    ['type', type],
    ['key', s.kty === 'oct' ? 'secret' : s.private ? 'private' : 'public'],
    ['thumbprint', `${s.thumbprint} (SHA-256)`],
  ]
  if (s.sshFingerprint !== undefined) rows.push(['ssh', s.sshFingerprint])
  if (s.kid !== undefined) rows.push(['kid', s.kid])
  if (s.use !== undefined) rows.push(['use', s.use])
  if (s.alg !== undefined) rows.push(['alg', s.alg])
  if (s.key_ops !== undefined) rows.push(['key_ops', s.key_ops.join(', ')])
  if (s.certificate) {
    const c = s.certificate
    const status = now < new Date(c.notBefore) ? ' (not yet valid)' : now > new Date(c.notAfter) ? ' (expired)' : ''
    rows.push(['x5c subject', c.subject], ['x5c issuer', c.issuer], ['x5c valid', `${c.notBefore} to ${c.notAfter}${status}`])
  }
  return rows.map(([k, v]) => `${k.padEnd(12)} ${v}`).join('\n') + '\n'
}

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'human summary of a JWK: type, size/curve, private or public, thumbprint, x5c',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(argv, { ...KEY_INPUT_FLAGS })
    const input = await readKeyInput(io, singleFile(positionals, 'inspect'), values)
    const now = new Date()
    if (input.kind === 'jwk') {
      const summary = summarize(parseJwk(input.bytes))
      if (values.json === true) printJson(io, summary)
      else io.stdout(render(summary, now))
      return 0
    }
    const set = parseJwkSet(input.bytes)
    printSetNotes(io, 'inspect', set)
    const summaries = set.keys.map(summarize)
    if (values.json === true) printJson(io, summaries)
    else io.stdout(summaries.map((s, i) => `key ${i}\n` + indent(render(s, now))).join('\n'))
    return 0
  },
}
