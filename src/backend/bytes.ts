/**
 * @module backend/bytes
 * The web backend's base64url, over util's one codec (no `Buffer`: the web backend runs where
 * there is none). Input here has passed the JWK rules already, so it is canonical.
 */
import { decodeBase64url, encodeBase64url } from '../util/base64url.ts'

/** Bytes → base64url, no padding (RFC 4648 §5). */
export const b64u = (bytes: Uint8Array): string => encodeBase64url(bytes)

/** Canonical base64url (no padding) → bytes; a TypeError for anything else. */
export function fromB64u(text: string): Uint8Array {
  const bytes = decodeBase64url(text)
  if (bytes === undefined) throw new TypeError('not base64url')
  return bytes
}
