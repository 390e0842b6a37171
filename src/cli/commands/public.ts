/**
 * @module cli/commands/public
 * `jwk public [FILE]`: prints the public form of a JWK (RFC 7517 §4, members per RFC 7518 §6,
 * RFC 8037 §2, draft-ietf-cose-dilithium) or of every key of a JWK Set (RFC 7517 §5).
 */
import { toPublicJwk } from '../../jwk/public.ts'
import { parseJwk } from '../../jwk/parse.ts'
import { parseJwkSet, toPublicJwkSet } from '../../jwk/set.ts'
import { parseFlags, printJson, type CliIo, type Command } from '../command.ts'
import { printSetNotes, readKeyInput, singleFile } from './read-key.ts'

const help = `Usage: jwk public [FILE]

Reads a JWK or a JWK Set (FILE, or standard input when FILE is - or absent), checks it
strictly, and prints its public form as JSON: only the public members of each key, built
from an allowlist (kty, crv, x, y, n, e, pub and the metadata kid, use, key_ops, alg, x5*).
A symmetric (oct) key has no public form: a single one is refused (exit 1). A JWK Set
keeps its public keys; keys it cannot use are reported on stderr.

Options:
  -h, --help   show this help

Examples:
  jwk public private.json > public.json
  jwk generate ES256 --kid-thumbprint | jwk public
  jwk public jwks-private.json > jwks.json

Exit status: 0 success, 1 invalid input or a key with no public form, 2 wrong usage.
`

export const publicCommand: Command = {
  name: 'public',
  summary: 'print the public JWK (or JWK Set) of a private one',
  help,
  run(argv: string[], io: CliIo): number {
    const { positionals } = parseFlags(argv, {})
    const input = readKeyInput(io, singleFile(positionals, 'public'))
    if (input.kind === 'jwk') {
      printJson(io, toPublicJwk(parseJwk(input.bytes)))
      return 0
    }
    const set = parseJwkSet(input.bytes)
    printSetNotes(io, 'public', set)
    printJson(io, toPublicJwkSet({ keys: set.keys }))
    return 0
  },
}
