/**
 * @module jwe/zip
 * `zip: "DEF"` (RFC 7516 §4.1.3, RFC 7518 §7.3: DEFLATE, RFC 1951). Decompression happens only
 * after the content has been authenticated, and never produces more than a fixed bound
 * (zlib's `maxOutputLength`), so a small JWE cannot expand into a decompression bomb.
 */
import { deflateRaw, inflateRaw } from '#backend'
import { JwkitError } from '../errors.ts'

/** Default bound on a decompressed plaintext, in bytes (1 MiB). */
export const DEFAULT_MAX_PLAINTEXT_BYTES = 1024 * 1024

/** Inflates an authenticated DEFLATE plaintext; past `maxBytes` it stops and refuses. */
export async function inflatePlaintext(data: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new TypeError('maxPlaintextBytes must be a non-negative integer')
  let out: Uint8Array
  try {
    out = await inflateRaw(data, Math.max(maxBytes, 1))
  } catch (cause) {
    if ((cause as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new JwkitError('ERR_INPUT_TOO_LARGE', `the decompressed JWE plaintext exceeds ${maxBytes} bytes`)
    }
    throw new JwkitError('ERR_JWE_INVALID', 'the JWE plaintext is not valid DEFLATE data (zip "DEF")')
  }
  if (out.length > maxBytes) throw new JwkitError('ERR_INPUT_TOO_LARGE', `the decompressed JWE plaintext exceeds ${maxBytes} bytes`)
  return out
}

/** Compresses a plaintext with raw DEFLATE for `zip: "DEF"`. */
export function deflatePlaintext(data: Uint8Array): Uint8Array | Promise<Uint8Array> {
  return deflateRaw(data)
}
