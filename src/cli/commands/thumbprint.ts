/**
 * @module cli/commands/thumbprint
 * `jwk thumbprint [FILE] [--hash H] [--uri]`: prints the RFC 7638 JWK thumbprint (base64url),
 * or its RFC 9278 URI, of a JWK, or one line per key of a JWK Set (RFC 7517 §5).
 */
import { JwkitError } from '../../errors.ts'
import { parseJwk } from '../../jwk/parse.ts'
import { parseJwkSet } from '../../jwk/set.ts'
import { thumbprint, thumbprintUri } from '../../jwk/thumbprint.ts'
import type { HashName, Jwk } from '../../jwk/types.ts'
import { EXIT_STATUS, parseFlags, printJson, type CliIo, type Command } from '../command.ts'
import { KEY_INPUT_FLAGS, printSetNotes, readKeyInput, singleFile } from './read-key.ts'

const HASHES: readonly string[] = ['sha256', 'sha384', 'sha512']

const help = `Usage: jwk thumbprint [FILE] [--hash sha256|sha384|sha512] [--uri] [--kid K] [--json]

Prints the RFC 7638 thumbprint of a JWK (FILE, or standard input when FILE is - or absent):
the base64url hash of its required public members. A private key and its public key have
the same thumbprint. For a JWK Set, prints one line per key: thumbprint, then kid if any.

Options:
  --hash H     sha256 (default), sha384 or sha512
  --uri        print the RFC 9278 URI (urn:ietf:params:oauth:jwk-thumbprint:sha-256:...)
  --json       print {"thumbprint": ..., "hash": ..., "uri": ...} (an array for a JWK Set)
  --kid K                  only the key of a JWK Set with kid K
  --passphrase-file F      passphrase of an encrypted JWK file (first line of F)
  --passphrase-env VAR     passphrase of an encrypted JWK file, from the environment
  -h, --help               show this help

Examples:
  jwk thumbprint key.json
  jwk thumbprint --uri < key.json
  jwk generate EdDSA | jwk thumbprint --hash sha512 -

${EXIT_STATUS}`

export const thumbprintCommand: Command = {
  name: 'thumbprint',
  summary: 'print the RFC 7638 thumbprint (or RFC 9278 URI) of a JWK',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(argv, { ...KEY_INPUT_FLAGS, hash: { type: 'string' }, uri: { type: 'boolean' } })
    const hash = values.hash ?? 'sha256'
    if (!HASHES.includes(hash)) throw new JwkitError('ERR_CLI_USAGE', `--hash is sha256, sha384 or sha512, not ${JSON.stringify(hash)}`)
    const input = await readKeyInput(io, singleFile(positionals, 'thumbprint'), values)
    const describe = (jwk: Jwk) => ({
      ...(jwk.kid === undefined ? {} : { kid: jwk.kid }),
      thumbprint: thumbprint(jwk, hash as HashName),
      hash,
      uri: thumbprintUri(jwk, hash as HashName),
    })
    const line = (jwk: Jwk) => (values.uri === true ? thumbprintUri(jwk, hash as HashName) : thumbprint(jwk, hash as HashName))
    if (input.kind === 'jwk') {
      const jwk = parseJwk(input.bytes)
      if (values.json === true) printJson(io, describe(jwk))
      else io.stdout(line(jwk) + '\n')
      return 0
    }
    const set = parseJwkSet(input.bytes)
    printSetNotes(io, 'thumbprint', set)
    if (values.json === true) printJson(io, set.keys.map(describe))
    else for (const jwk of set.keys) io.stdout(line(jwk) + (jwk.kid === undefined ? '' : `  ${jwk.kid}`) + '\n')
    return 0
  },
}
