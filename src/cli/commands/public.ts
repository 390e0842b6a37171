/**
 * @module cli/commands/public
 * `jwk public [FILE]`: prints the public form of a JWK (RFC 7517 §4, members per RFC 7518 §6,
 * RFC 8037 §2, draft-ietf-cose-dilithium) or of every key of a JWK Set (RFC 7517 §5).
 */
import { toPublicJwk } from '../../jwk/public.ts'
import { parseJwk } from '../../jwk/parse.ts'
import { parseJwkSet, toPublicJwkSet } from '../../jwk/set.ts'
import { JwkitError } from '../../errors.ts'
import { EXIT_STATUS, emit, parseFlags, type CliIo, type Command } from '../command.ts'
import { KEY_INPUT_FLAGS, printSetNotes, readKeyInput, singleFile } from './read-key.ts'

const help = `Usage: jwk public [FILE] [--kid K] [--out FILE [--force]] [--passphrase-file F | --passphrase-env VAR]

Reads a JWK or a JWK Set (FILE, or standard input when FILE is - or absent), checks it
strictly, and prints its public form as JSON: only the public members of each key, built
from an allowlist (kty, crv, x, y, n, e, pub and the metadata kid, use, key_ops, alg, x5*).
A symmetric (oct) key has no public form: a single one is refused (exit 1). A JWK Set
keeps its public keys; every key dropped (oct keys, keys it cannot use) is reported on stderr,
and a set with no public key left is refused (exit 1). An encrypted JWK file is opened with
the passphrase options (or a prompt on a terminal).

Options:
  --kid K                  only the key of the set with kid K
  --out FILE               write to FILE instead of stdout (mode 0644; atomic)
  --force                  replace an existing --out FILE
  --passphrase-file F      passphrase of an encrypted JWK file (first line of F)
  --passphrase-env VAR     passphrase of an encrypted JWK file, from the environment
  --json                   errors as {"error": {"code", "message"}} on stderr (output is JSON anyway)
  -h, --help               show this help

Examples:
  jwk public private.json > public.json
  jwk generate ES256 --kid-thumbprint | jwk public
  jwk public jwks-private.json > jwks.json

${EXIT_STATUS}`

export const publicCommand: Command = {
  name: 'public',
  summary: 'print the public JWK (or JWK Set) of a private one',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(argv, { ...KEY_INPUT_FLAGS, out: { type: 'string' }, force: { type: 'boolean' } })
    if (values.force === true && values.out === undefined) throw new JwkitError('ERR_CLI_USAGE', '--force applies to --out')
    const input = await readKeyInput(io, singleFile(positionals, 'public'), values)
    const out = { out: values.out, force: values.force, secret: false, command: 'public' }
    if (input.kind === 'jwk') {
      emit(io, JSON.stringify(toPublicJwk(parseJwk(input.bytes)), null, 2) + '\n', out)
      return 0
    }
    const set = parseJwkSet(input.bytes)
    printSetNotes(io, 'public', set)
    const keys = set.keys.filter((k, i) => {
      if (k.kty !== 'oct') return true
      io.stderr(`jwk public: dropped /keys/${keyIndex(set, i)}: an oct key has no public form${k.kid === undefined ? '' : ` (kid ${JSON.stringify(k.kid.slice(0, 100))})`}\n`)
      return false
    })
    if (keys.length === 0) throw new JwkitError('ERR_JWK_NO_PUBLIC_FORM', 'no key of the JWK Set has a public form')
    emit(io, JSON.stringify(toPublicJwkSet({ keys }), null, 2) + '\n', out)
    return 0
  },
}

/** The index of the i-th usable key in the input set (skipped keys come before it in the count). */
function keyIndex(set: { keys: readonly unknown[]; skipped: readonly { path: string }[] }, i: number): number {
  const skipped = set.skipped.map((p) => Number(/^\/keys\/(\d+)/.exec(p.path)?.[1])).filter((n) => Number.isInteger(n)).sort((a, b) => a - b)
  let index = i
  for (const s of skipped) if (s <= index) index++
  return index
}
