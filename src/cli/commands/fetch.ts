/**
 * @module cli/commands/fetch
 * `jwk fetch URL | --issuer ISSUER [--json]`: fetches a JWK Set (RFC 7517 §5), directly or by
 * issuer discovery (OpenID Connect Discovery 1.0, RFC 8414), under the same rules as
 * `createRemoteJwks` (https, loopback http, size cap, timeout, no redirects), and prints the
 * usable keys, the keys skipped with why, and the caching headers seen (RFC 9111).
 */
import { JwkitError } from '../../errors.ts'
import { fetchJwks, type FetchJwksResult } from '../../jwks/fetch-jwks.ts'
import { EXIT_STATUS, parseFlags, printJson, type CliIo, type Command } from '../command.ts'

const help = `Usage: jwk fetch URL [options]
       jwk fetch --issuer ISSUER [options]

Fetches a JWK Set from URL, or finds it through the issuer's discovery document
(/.well-known/openid-configuration, then RFC 8414 /.well-known/oauth-authorization-server;
the document's issuer must equal ISSUER exactly), and checks it. Keys of unknown type and
keys with private members are skipped and reported (RFC 7517 §5); a set with no usable key
fails. Only https is fetched; plain http only for loopback hosts unless --insecure-allow-http.

Keys whose members are not canonical but have one reading (= padding, the standard base64
alphabet, leading zero octets, EC coordinate lengths, x5t hints) are normalised and listed;
--strict skips them instead. The printed set is always canonical.

Prints the JWK Set of the usable keys on stdout; the report (skipped keys, normalised
members, caching headers, freshness) on stderr. With --json, one object on stdout:
  {"url", "jwks", "skipped", "normalized", "warnings", "caching", "freshness", "discovery"?}

Options:
  --issuer ISSUER          discover the jwks_uri of ISSUER
  --json                   machine-readable report on stdout
  --timeout MS             deadline for each request (default 5000)
  --max-bytes N            largest response accepted (default 524288)
  --header "NAME: VALUE"   extra request header (repeatable), e.g. an authorization header
  --allow-redirects        follow up to 5 redirects (each under the same URL rules)
  --insecure-allow-http    allow plain http to any host
  --strict                 skip keys with non-canonical members instead of normalising them
  -h, --help               show this help

Examples:
  jwk fetch https://www.googleapis.com/oauth2/v3/certs > google.jwks.json
  jwk fetch --issuer https://accounts.google.com --json | jq .caching

${EXIT_STATUS}The set unusable exits 1; a URL that is not allowed exits 2; the fetch failing (connection
refused, TLS, timeout, HTTP status, an issuer mismatch in discovery) exits 3.
`

export const fetchCommand: Command = {
  name: 'fetch',
  summary: 'fetch, check and print a remote JWK Set (URL or --issuer)',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(argv, {
      issuer: { type: 'string' },
      json: { type: 'boolean' },
      timeout: { type: 'string' },
      'max-bytes': { type: 'string' },
      header: { type: 'string', multiple: true },
      'allow-redirects': { type: 'boolean' },
      'insecure-allow-http': { type: 'boolean' },
      strict: { type: 'boolean' },
    })
    if ((values.issuer === undefined) === (positionals.length === 0) || positionals.length > 1) {
      throw new JwkitError('ERR_CLI_USAGE', 'give exactly one of URL or --issuer ISSUER')
    }
    const headers: Record<string, string> = {}
    for (const h of values.header ?? []) {
      const colon = h.indexOf(':')
      if (colon <= 0) throw new JwkitError('ERR_CLI_USAGE', '--header must be "NAME: VALUE"')
      const name = h.slice(0, colon).trim().toLowerCase()
      if (name === 'cookie') throw new JwkitError('ERR_CLI_USAGE', '--header: cookies are never sent')
      headers[name] = h.slice(colon + 1).trim()
    }
    const result = await fetchJwks(values.issuer !== undefined ? { issuer: values.issuer } : positionals[0]!, {
      timeoutMs: positiveInt(values.timeout, '--timeout') ?? 5_000,
      maxResponseBytes: positiveInt(values['max-bytes'], '--max-bytes') ?? 512 * 1024,
      headers,
      allowRedirects: values['allow-redirects'] === true,
      insecureAllowHttp: values['insecure-allow-http'] === true,
      strict: values.strict === true,
    })
    if (values.json === true) {
      printJson(io, {
        url: result.url,
        jwks: result.jwks,
        skipped: result.skipped,
        normalized: result.normalized,
        warnings: result.warnings,
        caching: result.caching,
        freshness: result.freshness,
        ...(result.discovery ? { discovery: result.discovery } : {}),
      })
    } else {
      printJson(io, result.jwks)
      io.stderr(report(result))
    }
    return 0
  },
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d{1,10}$/.test(value) || Number(value) === 0) throw new JwkitError('ERR_CLI_USAGE', `${flag} must be a positive integer`)
  return Number(value)
}

function report(r: FetchJwksResult): string {
  const lines: string[] = []
  if (r.discovery) lines.push(`issuer ${r.discovery.issuer}: metadata ${r.discovery.url}, jwks_uri ${r.discovery.jwksUri}`)
  lines.push(`fetched ${r.url}: ${r.keys.length} usable key${r.keys.length === 1 ? '' : 's'}, ${r.skipped.length} skipped, ${r.normalized.length} member${r.normalized.length === 1 ? '' : 's'} normalised`)
  for (const k of r.keys) lines.push(`  key   ${String(k.kid ?? '(no kid)')} ${k.kty}${'crv' in k ? ' ' + String(k.crv) : ''}${k.alg ? ' ' + k.alg : ''}`)
  for (const p of r.skipped) lines.push(`  skip  ${p.path} ${p.code}: ${p.message}`)
  for (const p of r.normalized) lines.push(`  norm  ${p.path}: ${p.message}`)
  for (const p of r.warnings) if (p.code !== 'ERR_JWK_NON_CANONICAL') lines.push(`  warn  ${p.path} ${p.code}: ${p.message}`)
  const headers = Object.entries(r.caching)
  lines.push(`caching headers: ${headers.length === 0 ? '(none)' : headers.map(([n, v]) => `${n}: ${v}`).join('; ')}`)
  lines.push(`fresh for ${Math.round(r.freshness.ttlMs / 1000)} s (from ${r.freshness.source}${r.freshness.requestedMs !== undefined && r.freshness.requestedMs !== r.freshness.ttlMs ? `, clamped from ${Math.round(r.freshness.requestedMs / 1000)} s` : ''})`)
  return lines.join('\n') + '\n'
}
