/**
 * @module jwk/members
 * Member tables per key type: the public members (RFC 7518 §6.2.1, §6.3.1; RFC 8037 §2; AKP
 * draft), the private members (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2; AKP draft), the
 * RFC 7638 §3.2 thumbprint members, and the RFC 7517 §4 common public metadata.
 */

type Table = Readonly<Record<string, readonly string[]>>

function table(entries: Record<string, readonly string[]>): Table {
  return Object.assign(Object.create(null) as Record<string, readonly string[]>, entries)
}

/** The key members of a public key, per kty. */
export const PUBLIC_KEY_MEMBERS: Table = table({
  RSA: ['n', 'e'],
  EC: ['crv', 'x', 'y'],
  OKP: ['crv', 'x'],
  AKP: ['pub'],
  oct: [],
})

/** The members that make a key private (or secret), per kty. */
export const PRIVATE_KEY_MEMBERS: Table = table({
  RSA: ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'],
  EC: ['d'],
  OKP: ['d'],
  AKP: ['priv'],
  oct: ['k'],
})

/** RFC 7638 §3.2 (and the AKP draft): the required members, in lexicographic order. */
export const THUMBPRINT_MEMBERS: Table = table({
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  oct: ['k', 'kty'],
  AKP: ['alg', 'kty', 'pub'],
})

/**
 * RFC 7517 §4 members registered for every key that carry no secret: kty, use, key_ops (mapped,
 * see toPublicJwk), alg, kid, x5u, x5c, x5t, x5t#S256; and WebCrypto's `ext` (IANA-registered).
 */
export const PUBLIC_METADATA_MEMBERS: ReadonlySet<string> = new Set([
  'kty', 'use', 'key_ops', 'alg', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'ext',
])

/** Registered key types (RFC 7518 §6.1, RFC 8037 §2, AKP draft): case-sensitive. */
export const KEY_TYPES: ReadonlySet<string> = new Set(['RSA', 'EC', 'OKP', 'oct', 'AKP'])
