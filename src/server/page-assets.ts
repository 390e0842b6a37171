/**
 * @module server/page-assets
 * The built page (workbench and dashboard, `npm run build:web` → `dist/web/`), read once into
 * memory: every file with its media type, a strong ETag (RFC 9110 §8.8.3: a SHA-256 of the
 * bytes) and its cache lifetime — a year and `immutable` (RFC 8246) for the content-hashed files
 * under `assets/`, revalidation (`no-cache`) for the HTML documents whose names are stable.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface PageAsset {
  body: Uint8Array
  type: string
  etag: string
  cacheControl: string
}

/** The page's files by URL path without the leading slash (`index.html`, `assets/workbench-3F2A….js`). */
export type PageAssets = ReadonlyMap<string, PageAsset>

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  json: 'application/json',
  map: 'application/json',
  txt: 'text/plain; charset=utf-8',
}
const MAX_FILES = 64
const MAX_TOTAL_BYTES = 16 * 1024 * 1024
export const IMMUTABLE = 'public, max-age=31536000, immutable'
export const REVALIDATE = 'no-cache'

/** A strong ETag of the bytes. */
export function strongEtag(body: Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`
}

/** Builds the asset map from files in memory (path → bytes); files under `assets/` are treated as content-hashed. */
export function pageAssetsFrom(files: ReadonlyMap<string, Uint8Array> | Record<string, Uint8Array | string>): PageAssets {
  const entries = files instanceof Map ? [...files.entries()] : Object.entries(files)
  const out = new Map<string, PageAsset>()
  for (const [path, content] of entries) {
    const body = typeof content === 'string' ? new TextEncoder().encode(content) : content
    const ext = path.slice(path.lastIndexOf('.') + 1)
    const type = TYPES[ext]
    if (type === undefined) continue // only known media types are served
    out.set(path, { body, type, etag: strongEtag(body), cacheControl: path.startsWith('assets/') ? IMMUTABLE : REVALIDATE })
  }
  return out
}

/** Where the built page is looked for: `JWKIT_WEB_DIR`, then `dist/web` beside the built or the source tree. */
export function pageDirCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const here = import.meta.url
  const list = [fileURLToPath(new URL('../../web/', here)), fileURLToPath(new URL('../../dist/web/', here))]
  return env.JWKIT_WEB_DIR ? [env.JWKIT_WEB_DIR] : list
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []))
}

/** Reads a built page folder (bounded in files and bytes); undefined when there is none (`index.html` missing). */
export function readPageDir(dir: string): PageAssets | undefined {
  if (!existsSync(join(dir, 'index.html'))) return undefined
  const files = new Map<string, Uint8Array>()
  let total = 0
  for (const file of walk(dir).slice(0, MAX_FILES)) {
    total += statSync(file).size
    if (total > MAX_TOTAL_BYTES) break
    files.set(relative(dir, file).split(sep).join('/'), readFileSync(file))
  }
  return pageAssetsFrom(files)
}

let cached: { key: string; assets: PageAssets | undefined } | undefined

/** The built page from the first candidate folder that holds one (read once per process and folder). */
export function loadPageAssets(env: NodeJS.ProcessEnv = process.env): PageAssets | undefined {
  const candidates = pageDirCandidates(env)
  const key = candidates.join('\n')
  if (cached?.key === key) return cached.assets
  let assets: PageAssets | undefined
  for (const dir of candidates) {
    assets = readPageDir(dir)
    if (assets !== undefined) break
  }
  cached = { key, assets }
  return assets
}
