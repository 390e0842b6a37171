/**
 * @module cli/commands/encrypt
 * `jwk encrypt --key PUB [--alg A] [--enc E] [--zip] [FILE|-]`: encrypts the bytes of FILE (or
 * standard input) to a JWE (RFC 7516) for a public key (or a shared oct key), thin over
 * `encryptJwe`: compact by default (§7.1), flattened or general JSON with --json-serialization
 * (§7.2). The library's rules apply: the key must allow encryption and fit the algorithm;
 * RSA1_5 and PBES2 are never produced.
 */
import { JwkitError } from '../../errors.ts'
import { encryptJwe } from '../../jwe/encrypt.ts'
import { EXIT_STATUS, emit, parseFlags, readFileArg, type CliIo, type Command } from '../command.ts'
import { KEY_INPUT_FLAGS, readOneKey } from './read-key.ts'

const help = `Usage: jwk encrypt --key PUB [--alg A] [--enc E] [--zip] [--json-serialization flattened|general] [FILE|-]

Encrypts FILE (or standard input for - or no FILE) to a JWE for the key and prints it: compact
by default. The key is a public JWK (or a JWK Set with --kid), PEM, an OpenSSH public line, or
a shared oct JWK (A128KW..A256KW, A128GCMKW.., dir).

Options:
  --key FILE        the recipient's key
  --kid K           the key of a JWK Set with kid K (and the JWE's kid header)
  --alg A           key management: RSA-OAEP-256, RSA-OAEP(-384/-512), ECDH-ES(+A128KW/+A192KW/+A256KW),
                    A128KW..A256KW, A128GCMKW..A256GCMKW, dir (default: the key's alg, else what fits)
  --enc E           content encryption: A128GCM A192GCM A256GCM A128CBC-HS256 A192CBC-HS384
                    A256CBC-HS512 (default A256GCM)
  --zip             compress first (zip DEF; mind that compression reveals the plaintext's length)
  --cty C           the cty header (e.g. JWT for a nested token)
  --json-serialization flattened|general
                    print the JWE JSON serialization (RFC 7516 §7.2)
  --out FILE        write the JWE to FILE (atomic; --force replaces an existing FILE)
  --json            print {"jwe": ...}
  --passphrase-file F, --passphrase-env VAR
                    passphrase of an encrypted key file
  -h, --help        show this help

Examples:
  jwk encrypt --key pub.json secret.txt > secret.jwe
  jwk encrypt --key jwks.json --kid enc-1 --alg ECDH-ES+A256KW --enc A256GCM - < data.bin
  jwk decrypt --key key.json secret.jwe

${EXIT_STATUS}`

export const encryptCommand: Command = {
  name: 'encrypt',
  summary: 'encrypt a file or standard input to a JWE for a public key',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(argv, {
      key: { type: 'string' }, alg: { type: 'string' }, enc: { type: 'string' }, zip: { type: 'boolean' }, cty: { type: 'string' },
      'json-serialization': { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, ...KEY_INPUT_FLAGS,
    })
    if (positionals.length > 1) throw new JwkitError('ERR_CLI_USAGE', 'jwk encrypt takes one FILE (or - for stdin)')
    if (values.key === undefined) throw new JwkitError('ERR_CLI_USAGE', 'jwk encrypt needs --key FILE')
    const serialization = values['json-serialization']
    if (serialization !== undefined && serialization !== 'flattened' && serialization !== 'general') throw new JwkitError('ERR_CLI_USAGE', '--json-serialization is flattened or general')
    if (values.force === true && values.out === undefined) throw new JwkitError('ERR_CLI_USAGE', '--force applies to --out')
    const key = await readOneKey(io, values.key, values, '--key')
    const plaintext = readFileArg(io, positionals[0], positionals[0] === undefined || positionals[0] === '-' ? 'standard input' : 'the input file')
    const kid = values.kid ?? key.kid
    const jwe = await encryptJwe(plaintext, key, {
      enc: values.enc ?? 'A256GCM',
      ...(values.alg === undefined ? {} : { alg: values.alg }),
      ...(kid === undefined ? {} : { kid }),
      ...(values.zip === true ? { zip: 'DEF' as const } : {}),
      ...(values.cty === undefined ? {} : { protectedHeader: { cty: values.cty } }),
      serialization: serialization ?? 'compact',
    })
    const text = values.json === true ? JSON.stringify({ jwe }) + '\n' : typeof jwe === 'string' ? jwe + '\n' : JSON.stringify(jwe, null, 2) + '\n'
    emit(io, text, { out: values.out, force: values.force, secret: false, command: 'encrypt' })
    return 0
  },
}
