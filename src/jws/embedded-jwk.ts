/**
 * @module jws/embedded-jwk
 * The one, explicitly named way to verify with a key the token carries in its `jwk` header
 * (RFC 7515 §4.1.3). RFC 8725 §3.10 and Wycheproof's "attacker-chosen verification key" cases
 * are why nothing else ever does: the verifier never reads `jwk`, `jku`, `x5u` or `x5c` on its
 * own. This source requires its own algorithm allowlist (no HMAC) and refuses private and `oct`
 * keys. Whoever uses it must still decide whether to trust the key (e.g. by its thumbprint).
 */
import { JwkitError } from '../errors.ts'
import { parseJwkReport, wasNormalized } from '../jwk/parse.ts'
import { keyFitsAlgorithm } from '../jwk/algorithms.ts'
import { importKeyHandle } from '../crypto/import.ts'
import type { KeySelectionHeader, KeySource, ResolvedKey } from './key-source.ts'
import { ownOptions } from '../util/dict.ts'

/** A key source that takes the public key from the token's own `jwk` header. Insecure by design. */
export function insecureEmbeddedJwkResolver(options: { algorithms: readonly string[]; strict?: boolean }): KeySource {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  // Default: a non-canonical embedded key with one reading is normalised like any other key
  // (the token's own segments stay strict); `strict` refuses it.
  const strict = options.strict === true
  const algorithms = options?.algorithms
  if (!Array.isArray(algorithms) || algorithms.length === 0) throw new TypeError('insecureEmbeddedJwkResolver: options.algorithms (a non-empty allowlist) is required')
  if (algorithms.some((a) => typeof a !== 'string' || a.startsWith('HS'))) throw new TypeError('insecureEmbeddedJwkResolver: algorithms must name asymmetric algorithms only')
  return {
    getKeys(header: KeySelectionHeader): readonly ResolvedKey[] {
      if (!algorithms.includes(header.alg)) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `algorithm ${header.alg} is not in the embedded-key allowlist`)
      if (header.jwk === undefined) return []
      // RFC 7515 §4.1.3: a public key; never secret or private members.
      const { jwk, warnings } = parseJwkReport(header.jwk as object, { requirePublic: true, maxBytes: 16 * 1024, strict })
      if (!keyFitsAlgorithm(jwk, header.alg)) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `the embedded jwk does not fit algorithm ${header.alg}`)
      return [wasNormalized(warnings) ? { jwk, key: importKeyHandle(jwk), normalized: true } : { jwk, key: importKeyHandle(jwk) }]
    },
  }
}
