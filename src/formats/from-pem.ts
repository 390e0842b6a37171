/**
 * @module formats/from-pem
 * PEM text (RFC 7468) → JWK. Each block's label must agree with the DER structure inside it
 * (a `PUBLIC KEY` that holds PKCS#8 is refused with ERR_PEM_INVALID). One key block gives that
 * key; certificate blocks alone give the leaf's key with `x5c` (formats/x509); a key followed by
 * its certificate chain gives the key with `x5c` (RFC 7517 §4.7: the leaf must hold the key).
 * `EC PARAMETERS` blocks (as `openssl ecparam -genkey` writes) are skipped.
 */
import { JwkitError } from '../errors.ts'
import { parseJwk } from '../jwk/parse.ts'
import type { Jwk } from '../jwk/types.ts'
import { jwkFromKeyDer, type KeyFromDerOptions } from './key-import.ts'
import { KIND_BY_LABEL, decodePem, type PemBlock } from './pem.ts'
import { fromX509 } from './x509.ts'
import { ownOptions } from '../util/dict.ts'

export interface FromPemOptions extends KeyFromDerOptions {}

/** Converts PEM text to a JWK (keys of every supported kind, encrypted PKCS#8 with a passphrase, certificates). */
export function fromPem(text: string, options: FromPemOptions = {}): Jwk {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  if (typeof text !== 'string') throw new TypeError('fromPem: text must be a string')
  return jwkFromPemBlocks(decodePem(text), options)
}

/** As {@link fromPem}, for blocks already decoded. */
export function jwkFromPemBlocks(blocks: PemBlock[], options: FromPemOptions = {}): Jwk {
  const relevant = blocks.filter((b) => b.label !== 'EC PARAMETERS')
  for (const block of relevant) {
    if (KIND_BY_LABEL[block.label] === undefined) {
      throw new JwkitError('ERR_FORMAT_UNRECOGNIZED', `PEM label "${block.label.slice(0, 40)}" is not a key or certificate jwkit reads`)
    }
  }
  const keys = relevant.filter((b) => b.label !== 'CERTIFICATE')
  const certs = relevant.filter((b) => b.label === 'CERTIFICATE')
  if (keys.length > 1) throw new JwkitError('ERR_PEM_INVALID', `PEM text holds ${keys.length} keys; give one at a time`)
  if (keys.length === 0) {
    if (certs.length === 0) throw new JwkitError('ERR_PEM_INVALID', 'PEM text holds no key or certificate')
    return fromX509(certs.map((c) => c.der))
  }
  const key = keys[0]!
  const jwk = jwkFromKeyDer(key.der, KIND_BY_LABEL[key.label], options)
  if (certs.length === 0) return jwk
  // parseJwk checks that the leaf certificate holds this very key (jwk/rules-x5c).
  const withChain = fromX509(certs.map((c) => c.der))
  return parseJwk({ ...jwk, x5c: withChain.x5c, 'x5t#S256': withChain['x5t#S256'] })
}
