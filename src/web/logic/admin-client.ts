/**
 * @module web/logic/admin-client
 * The dashboard's client of the key server's admin API (src/server/admin.ts): the bearer token
 * (RFC 6750 §2.1) goes only in the Authorization field and only to the page's own origin; no
 * cookie, no referrer, no caching (`cache: 'no-store'`). `fetch` is injected, so the client runs
 * in Node against a real server in the tests.
 */
import type { TimelineKey, TimelinePolicy } from './timeline.ts'

export type FetchLike = (url: string, init: {
  method: string; headers: Record<string, string>; body?: string
  credentials: 'omit'; cache: 'no-store'; referrerPolicy: 'no-referrer'; redirect: 'error'
}) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>

export interface AdminKey extends TimelineKey {
  publicJwk: Record<string, unknown>
}

export interface AdminList {
  keys: AdminKey[]
  status: { storeReachable: boolean; lastSyncAt: number | null; rotations: number; storeErrors: number }
  policy: TimelinePolicy & { algorithms: string[]; maxTokenTtl: number }
}

export interface ServedJwks {
  status: number
  etag: string | null
  cacheControl: string | null
  contentType: string | null
  body: string
}

export class AdminApiError extends Error {
  readonly status: number
  readonly code: string
  constructor(status: number, code: string, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}

/** RFC 6750 §2.1 b64token, as the server requires (16+ characters). */
export function isUsableToken(token: string): boolean {
  return token.length >= 16 && token.length <= 4096 && /^[A-Za-z0-9\-._~+/]+=*$/.test(token)
}

export interface AdminClient {
  /** 'disabled' when the server has no admin API (404), 'enabled' when it asks for a token (401). */
  probe(): Promise<'enabled' | 'disabled'>
  list(): Promise<AdminList>
  /** A rotation; `now`: without waiting for the next key's prepublish period (an emergency). */
  rotate(alg?: string, now?: boolean): Promise<unknown>
  retire(kid: string): Promise<unknown>
  revoke(kid: string): Promise<unknown>
  /** The JWK Set as served, with its caching fields (public, no token). */
  jwks(): Promise<ServedJwks>
}

/** A client for the server at `base` (the page's own URL); `token()` gives the current token. */
export function createAdminClient(fetchFn: FetchLike, base: string, token: () => string | undefined): AdminClient {
  const origin = new URL(base).origin
  const url = (path: string) => {
    const u = new URL(path, base)
    if (u.origin !== origin) throw new Error('the admin API is reached on the page origin only')
    return u.href
  }
  const call = async (method: string, path: string, body?: unknown, auth = true): Promise<unknown> => {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (auth) {
      const t = token()
      if (t === undefined || !isUsableToken(t)) throw new AdminApiError(401, 'ERR_HTTP_UNAUTHORIZED', 'enter the admin token (16 or more characters of A–Z, a–z, 0–9, -._~+/)')
      headers.authorization = `Bearer ${t}`
    }
    const init: Parameters<FetchLike>[1] = { method, headers, credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer', redirect: 'error' }
    if (body !== undefined) {
      headers['content-type'] = 'application/json'
      init.body = JSON.stringify(body)
    }
    const res = await fetchFn(url(path), init)
    const text = await res.text()
    let value: unknown
    try {
      value = text === '' ? undefined : JSON.parse(text)
    } catch {
      value = undefined
    }
    if (res.status >= 400) {
      const error = (value as { error?: { code?: unknown; message?: unknown } } | undefined)?.error
      throw new AdminApiError(res.status, typeof error?.code === 'string' ? error.code : 'ERR_HTTP', typeof error?.message === 'string' ? error.message : `HTTP ${res.status}`)
    }
    return value
  }
  return {
    async probe() {
      try {
        await call('GET', 'admin/keys', undefined, false)
        return 'enabled'
      } catch (error) {
        if (error instanceof AdminApiError && error.status === 404) return 'disabled'
        if (error instanceof AdminApiError && error.status === 401) return 'enabled'
        throw error
      }
    },
    async list() {
      return (await call('GET', 'admin/keys')) as AdminList
    },
    rotate(alg, now) {
      return call('POST', 'admin/keys/rotate', { ...(alg === undefined ? {} : { alg }), ...(now ? { now: true } : {}) })
    },
    retire(kid) {
      return call('POST', `admin/keys/${encodeURIComponent(kid)}/retire`)
    },
    revoke(kid) {
      return call('POST', `admin/keys/${encodeURIComponent(kid)}/revoke`)
    },
    async jwks() {
      const res = await fetchFn(url('.well-known/jwks.json'), {
        method: 'GET', headers: { accept: 'application/json' }, credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer', redirect: 'error',
      })
      return {
        status: res.status,
        etag: res.headers.get('etag'),
        cacheControl: res.headers.get('cache-control'),
        contentType: res.headers.get('content-type'),
        body: await res.text(),
      }
    },
  }
}
