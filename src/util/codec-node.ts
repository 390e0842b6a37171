/**
 * @module util/codec-node
 * The byte codec on Node (package.json `imports` `#codec`, condition `node`): text encodings
 * through Node's native Buffer codecs, the fastest there (base64url decoding of token segments is
 * on the verification hot path). The one portable-layer module besides the Node backend that
 * names `Buffer`; src/util/codec-web.ts has the same exports without it. Results are Buffers,
 * which are Uint8Arrays; callers use them as Uint8Arrays only.
 *
 * Decoders are lenient the way Node's are (foreign characters skipped, stop at padding): callers
 * that need canonical text check it (src/util/base64url.ts re-encodes and compares).
 */

export const CODEC_NAME = 'node'

/** A Buffer view over the same memory (no copy). */
function view(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** Bytes → unpadded base64url (RFC 4648 §5). */
export function toBase64url(bytes: Uint8Array): string {
  return view(bytes).toString('base64url')
}

/** base64url (or base64) text → bytes, leniently; never throws. */
export function fromBase64url(text: string): Uint8Array {
  return Buffer.from(text, 'base64url')
}

/** Bytes → padded standard base64 (RFC 4648 §4). */
export function toBase64(bytes: Uint8Array): string {
  return view(bytes).toString('base64')
}

/** Standard base64 (or base64url) text → bytes, leniently; never throws. */
export function fromBase64(text: string): Uint8Array {
  return Buffer.from(text, 'base64')
}

/** A string → its UTF-8 bytes (lone surrogates become U+FFFD). */
export function utf8Encode(text: string): Uint8Array {
  return Buffer.from(text, 'utf8')
}

/** UTF-8 bytes → a string, malformed sequences as U+FFFD (strict decoding: util/json.ts). */
export function utf8Decode(bytes: Uint8Array): string {
  return view(bytes).toString('utf8')
}

/** Length in bytes of a string's UTF-8 encoding. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** A string → one byte per UTF-16 unit (its low 8 bits): JOSE signing input and AAD, which are ASCII. */
export function latin1Encode(text: string): Uint8Array {
  return Buffer.from(text, 'latin1')
}

/** Bytes → a string, one UTF-16 unit per byte. */
export function latin1Decode(bytes: Uint8Array): string {
  return view(bytes).toString('latin1')
}

/** Bytes → lowercase hex. */
export function toHex(bytes: Uint8Array): string {
  return view(bytes).toString('hex')
}

/** Hex text → bytes; stops at the first pair that is not hex (as Node does). */
export function fromHex(text: string): Uint8Array {
  return Buffer.from(text, 'hex')
}

let lastTarget: Uint8Array | undefined
let lastView: Buffer | undefined

/**
 * Decodes base64url `text` into `target` from offset 0 without allocating (a scratch buffer
 * reused call after call); returns the number of bytes written (at most `target.length`).
 */
export function writeBase64url(target: Uint8Array, text: string): number {
  if (target !== lastTarget) {
    lastView = Buffer.isBuffer(target) ? target : Buffer.from(target.buffer, target.byteOffset, target.byteLength)
    lastTarget = target
  }
  return lastView!.write(text, 0, 'base64url')
}
