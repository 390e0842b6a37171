/**
 * @module cli/commands/decrypt
 * `jwk decrypt --key PRIV [FILE|-]`: decrypts a JWE (RFC 7516, compact or JSON serialization)
 * with a private key (or shared oct key), thin over `decryptJwe`: the allowlists are the key's
 * own (its alg, or what its type permits) unless --alg/--enc narrow them; PBES2 and RSA1_5 are
 * refused as the library refuses them. The plaintext goes to stdout or --out FILE (mode 0600).
 */
import { JwkitError } from '../../errors.ts'
import { decryptJwe } from '../../jwe/decrypt.ts'
import { parseJsonStrict } from '../../util/json.ts'
import { EXIT_STATUS, emit, parseFlags, readFileArg, readToken, type CliIo, type Command } from '../command.ts'
import { KEY_INPUT_FLAGS, readOneKey } from './read-key.ts'

const help = `Usage: jwk decrypt --key PRIV [--alg A] [--enc E] [--out FILE] [FILE|-]

Decrypts a JWE (compact or JSON serialization) read from FILE (or standard input for - or no
FILE) and prints the plaintext. Binary plaintext is not printed to a terminal: use --out FILE.

Options:
  --key FILE        the private key (JWK, JWK Set with --kid, encrypted JWK file, PEM, OpenSSH
                    private key) or the shared oct key
  --kid K           the key of a JWK Set with kid K
  --alg A           accepted key management algorithm(s), comma-separated (default: the key's alg,
                    or what its type permits)
  --enc E           accepted content encryption algorithm(s), comma-separated (default: all six)
  --out FILE        write the plaintext to FILE (mode 0600; --force replaces an existing FILE)
  --json            print {"header", "plaintext"} (or "plaintextBase64url" for binary)
  --passphrase-file F, --passphrase-env VAR
                    passphrase of an encrypted key file
  -h, --help        show this help

Examples:
  jwk decrypt --key key.json secret.jwe
  jwk decrypt --key key.json --alg ECDH-ES+A256KW --out data.bin - < data.jwe

${EXIT_STATUS}`

const list = (v: string | undefined) => (v === undefined ? undefined : v.split(',').map((a) => a.trim()).filter((a) => a !== ''))

export const decryptCommand: Command = {
  name: 'decrypt',
  summary: 'decrypt a JWE with a private key',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(argv, {
      key: { type: 'string' }, alg: { type: 'string' }, enc: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, ...KEY_INPUT_FLAGS,
    })
    if (positionals.length > 1) throw new JwkitError('ERR_CLI_USAGE', 'jwk decrypt takes one FILE (or - for stdin)')
    if (values.key === undefined) throw new JwkitError('ERR_CLI_USAGE', 'jwk decrypt needs --key FILE')
    if (values.force === true && values.out === undefined) throw new JwkitError('ERR_CLI_USAGE', '--force applies to --out')
    const key = await readOneKey(io, values.key, values, '--key')
    const file = positionals[0]
    const text = file === undefined || file === '-' ? readToken(io, file, 'JWE') : readFileArg(io, file, 'the input file').toString('utf8').trim()
    if (text === '') throw new JwkitError('ERR_CLI_USAGE', 'the input file is empty')
    const jwe = text.startsWith('{') ? (parseJsonStrict(text, { maxBytes: 1024 * 1024, code: 'ERR_JWE_INVALID', what: 'the JWE JSON serialization' }) as object) : text
    const km = list(values.alg)
    const enc = list(values.enc)
    const result = await decryptJwe(jwe as string, key, { ...(km === undefined ? {} : { keyManagementAlgorithms: km }), ...(enc === undefined ? {} : { contentEncryptionAlgorithms: enc }) })
    const plaintext = Buffer.from(result.plaintext)
    const utf8 = isText(plaintext) ? plaintext.toString('utf8') : undefined
    if (values.json === true) {
      const doc = JSON.stringify({ header: result.protectedHeader, ...(utf8 === undefined ? { plaintextBase64url: plaintext.toString('base64url') } : { plaintext: utf8 }) }) + '\n'
      emit(io, doc, { out: values.out, force: values.force, secret: true, command: 'decrypt' })
      return 0
    }
    if (values.out === undefined && utf8 === undefined) {
      if (io.stdoutIsTty || io.writeStdout === undefined) throw new JwkitError('ERR_CLI_USAGE', 'the plaintext is binary: give --out FILE (or --json for base64url)')
      io.writeStdout(plaintext)
      return 0
    }
    emit(io, values.out === undefined ? utf8! : plaintext, { out: values.out, force: values.force, secret: true, command: 'decrypt' })
    return 0
  },
}

const decoder = new TextDecoder('utf-8', { fatal: true })

function isText(bytes: Uint8Array): boolean {
  try {
    return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(decoder.decode(bytes))
  } catch {
    return false
  }
}
