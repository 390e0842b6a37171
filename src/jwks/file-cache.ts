/**
 * @module jwks/file-cache
 * The file adapter of a remote JWK Set's cache (Node only: exported by jwkit/store, not by the
 * portable entry). Writes go to a temp file in the same directory and are renamed over the
 * target, so a reader sees the old or the new file, never half of one. A missing, unreadable,
 * oversized or malformed file reads as empty; the key source re-checks whatever it gets.
 */
import { randomBytes } from 'node:crypto'
import { readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { parseJsonStrict } from '../util/json.ts'
import { MAX_FILE_BYTES, toCacheEntry, type JwksCache } from './cache-adapter.ts'

/** An adapter keeping the entry in a JSON file. */
export function createFileCache(path: string): JwksCache {
  if (typeof path !== 'string' || path === '') throw new TypeError('createFileCache: path must be a non-empty string')
  return {
    async get() {
      let text: Buffer
      try {
        text = await readFile(path)
      } catch {
        return undefined
      }
      if (text.byteLength > MAX_FILE_BYTES) return undefined
      try {
        return toCacheEntry(parseJsonStrict(text, { maxBytes: MAX_FILE_BYTES, maxDepth: 16 }))
      } catch {
        return undefined
      }
    },
    async set(entry) {
      const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
      try {
        await writeFile(temp, JSON.stringify(entry), { mode: 0o644, flag: 'wx' })
        await rename(temp, path)
      } catch (error) {
        await unlink(temp).catch(() => undefined)
        throw error
      }
    },
  }
}
