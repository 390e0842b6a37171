/**
 * @module cli/commands/validate
 * `jwk validate [FILE] [--strict] [--json]`: checks a JWK (RFC 7517 §4 and the per-kty rules of
 * RFC 7518 §6, RFC 8037, RFC 8812, draft-ietf-cose-dilithium) or a JWK Set (RFC 7517 §5) and
 * reports every problem with its JSON-pointer path. Exit 1 when any error is found; warnings
 * alone (on stderr) exit 0. `--strict` makes every non-canonical member an error, as
 * `parseJwk(input, { strict: true })` does.
 */
import { isJwkitError, problem, type Problem } from '../../errors.ts'
import { checkJwk } from '../../jwk/parse.ts'
import { parseJwkSet } from '../../jwk/set.ts'
import { isJsonObject } from '../../util/json.ts'
import { EXIT_STATUS, parseFlags, printJson, type CliIo, type Command } from '../command.ts'
import { KEY_INPUT_FLAGS, readKeyInput, singleFile, type KeyInput } from './read-key.ts'

const help = `Usage: jwk validate [FILE] [--strict] [--json]

Checks a JWK or a JWK Set (FILE, or standard input when FILE is - or absent) against every
rule jwkit enforces: base64url, exact member lengths, points on their curve, private members
that match the public ones, RSA consistency, oct sizes for their alg, alg/kty/crv fit,
use/key_ops agreement, x5c certificates, duplicate member names and duplicate kids.
Every problem is reported with the JSON pointer of the member at fault.

Members that are not canonical but have one reading (= padding, the standard base64
alphabet, leading zero octets of integers, EC coordinates off the field length by leading
zeros, x5t hints that are not the certificate's digest, empty x5c or oth) are warnings
(ERR_JWK_NON_CANONICAL): jwkit accepts and normalises them. --strict makes them errors.
In a JWK Set a key with an unknown kty is a warning (RFC 7517 §5: such keys are skipped).

Errors and the summary go to standard output, warnings to standard error.

Options:
  --strict     non-canonical members are errors (exit 1)
  --json       print {"valid", "kind", "keys", "problems": [{code, path, message, severity}]};
               when invalid, also one {"error": {"code", "message"}} line on stderr
  --kid K                  only the key of a JWK Set with kid K
  --passphrase-file F      passphrase of an encrypted JWK file (first line of F)
  --passphrase-env VAR     passphrase of an encrypted JWK file, from the environment
  -h, --help               show this help

Examples:
  jwk validate key.json
  jwk validate --strict key.json
  jwk validate --json jwks.json | jq '.problems[] | select(.severity == "error")'
  curl -s https://issuer.example/jwks.json | jwk validate -

${EXIT_STATUS}`

interface Report {
  valid: boolean
  kind: 'jwk' | 'jwk-set' | 'unknown'
  keys?: number
  problems: Problem[]
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a JWK or JWK Set; every problem, with its path (--strict: non-canonical is an error)',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(argv, { ...KEY_INPUT_FLAGS, strict: { type: 'boolean' } })
    const strict = values.strict === true
    const file = singleFile(positionals, 'validate')
    let input: KeyInput
    let report: Report
    try {
      input = await readKeyInput(io, file, values)
      report = input.kind === 'jwk' ? validateJwk(input, strict) : validateSet(input, strict)
    } catch (error) {
      // A file that cannot be read, or a passphrase that is missing or wrong, says nothing about the key.
      if (!isJwkitError(error) || ['ERR_FILE_ACCESS', 'ERR_CLI_USAGE', 'ERR_PASSPHRASE_REQUIRED', 'ERR_PASSPHRASE_WRONG'].includes(error.code)) throw error
      report = { valid: false, kind: 'unknown', problems: [problem(error.code, error.path ?? '', error.message)] }
    }
    if (values.json === true) printJson(io, report)
    else {
      const { out, warnings } = render(report)
      io.stdout(out)
      if (warnings !== '') io.stderr(warnings)
    }
    if (!report.valid && values.json === true) {
      // The contract of every command: a failure is also one {"error"} line on stderr.
      const errors = report.problems.filter((p) => p.severity === 'error')
      io.stderr(JSON.stringify({ error: { code: errors[0]!.code, message: `the ${report.kind === 'jwk-set' ? 'JWK Set' : report.kind === 'jwk' ? 'JWK' : 'input'} is invalid: ${errors.length} error${errors.length === 1 ? '' : 's'} (the report is on stdout)` } }) + '\n')
    }
    return report.valid ? 0 : 1
  },
}

function validateJwk(input: KeyInput, strict: boolean): Report {
  const { valid, problems } = checkJwk(input.bytes, { strict })
  return { valid, kind: 'jwk', problems: [...problems] }
}

function validateSet(input: KeyInput, strict: boolean): Report {
  const value = input.value as Record<string, unknown>
  const problems: Problem[] = []
  let count: number | undefined
  let keys: unknown[] = []
  if (Array.isArray(value.keys)) {
    keys = value.keys
    count = keys.length
  }
  // Set-level rules (keys is an array, bounds) and set warnings (duplicate kid).
  let setWarnings: Problem[] = []
  try {
    // Per-key problems come from checkJwk below; the set adds its own (RFC 7517 §4.5 duplicate kid).
    setWarnings = parseJwkSet(input.bytes).warnings.filter((p) => p.code === 'ERR_JWKS_DUPLICATE_KID')
  } catch (error) {
    if (!isJwkitError(error)) throw error
    problems.push(problem(error.code, error.path ?? '', error.message))
    keys = []
  }
  keys.forEach((key, index) => {
    const base = `/keys/${index}`
    if (!isJsonObject(key)) {
      problems.push(problem('ERR_JWK_INVALID', base, `keys[${index}] is not a JSON object`))
      return
    }
    for (const p of checkJwk(key, { strict }).problems) {
      // RFC 7517 §5: a key whose kty is not understood is skipped, not an error of the set.
      const severity = p.code === 'ERR_JWK_UNSUPPORTED' && p.path === '/kty' ? 'warning' : p.severity
      problems.push(problem(p.code, base + p.path, p.message, severity))
    }
  })
  problems.push(...setWarnings)
  return { valid: !problems.some((p) => p.severity === 'error'), kind: 'jwk-set', ...(count === undefined ? {} : { keys: count }), problems }
}

/** The summary and error lines (stdout), and the warning lines (stderr). */
function render(report: Report): { out: string; warnings: string } {
  const errors = report.problems.filter((p) => p.severity === 'error').length
  const warnings = report.problems.length - errors
  const what = report.kind === 'jwk-set' ? `JWK Set${report.keys === undefined ? '' : ` (${report.keys} key${report.keys === 1 ? '' : 's'})`}` : report.kind === 'jwk' ? 'JWK' : 'input'
  const counts = [errors ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings ? `${warnings} warning${warnings === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ')
  const lines = [`${report.valid ? 'valid' : 'invalid'} ${what}${counts ? `: ${counts}` : ''}`]
  const warningLines: string[] = []
  for (const p of report.problems) (p.severity === 'error' ? lines : warningLines).push(`  ${p.severity.padEnd(7)} ${(p.path || '""').padEnd(12)} ${p.code}: ${p.message}`)
  return { out: lines.join('\n') + '\n', warnings: warningLines.length === 0 ? '' : warningLines.join('\n') + '\n' }
}
