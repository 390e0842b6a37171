/**
 * @module store/file-cache
 * A remote JWK Set's cache that survives restarts (Node only, so it is `jwkit/store`'s): the entry
 * in a JSON file, written atomically (temp file + rename); a corrupt or foreign file reads as
 * empty. Whatever it returns is re-checked by the key source before use: a cache is never trusted.
 */
import { randomBytes } from 'node:crypto'
import { readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { MAX_CACHE_ENTRY_BYTES, toCacheEntry, type JwksCache } from '../jwks/cache-adapter.ts'
import { parseJsonStrict } from '../util/json.ts'


/**
 * An adapter keeping the entry in a JSON file. Writes go to a temp file in the same directory and
 * are renamed over the target, so a reader sees the old or the new file, never half of one.
 * A missing, unreadable, oversized or malformed file reads as empty.
 */
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
      if (text.byteLength > MAX_CACHE_ENTRY_BYTES) return undefined
      try {
        return toCacheEntry(parseJsonStrict(text, { maxBytes: MAX_CACHE_ENTRY_BYTES, maxDepth: 16 }))
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

