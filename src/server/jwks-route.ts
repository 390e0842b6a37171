/**
 * @module server/jwks-route
 * The hot route, `GET`/`HEAD /.well-known/jwks.json` (RFC 7517 §5). Everything it writes is
 * prepared at each change of the published set (`manager.onChange`): the body, its strong ETag,
 * and flat header arrays for each jitter step × media type, plus those of a 304 (RFC 9110
 * §15.4.5), each as a ready {@link CoreResponse} with its `wire` list. A request only picks one
 * — no store read, no object spread, no string building — which keeps it close to a bare
 * node:http server. The CORS fields come from server/cors.
 */
import type { KeyManager } from '../store/types.ts'
import type { CoreRequest, CoreResponse } from './core.ts'
import { CORS_READ_WIRE } from './cors.ts'
import {
  createJwksSnapshot, ifNoneMatchMatches, jitteredMaxAge, JWK_SET_MEDIA_TYPE, negotiateJwksType, type JwksSnapshot,
} from './jwks-response.ts'
import type { Logger } from './logger.ts'
import type { ServerMetrics } from './metrics.ts'
import { JWKS_PATH } from './routes.ts'

/** Distinct jittered max-age values a response may carry. */
export const JITTER_STEPS = 16

export interface JwksRoute {
  /** Answers one GET or HEAD request. */
  answer(request: CoreRequest, head: boolean): CoreResponse
  /** Stops following the manager's changes. */
  close(): void
}

type Variants = CoreResponse[]
interface Prepared {
  snapshot: JwksSnapshot
  /** By media type, then jitter step; GET and HEAD apart. */
  ok: Record<'json' | 'jwkSet', { get: Variants; head: Variants }>
  notModified: Variants
}

/** A response from a flat field list (and the same fields as an object, for readers other than the adapter). */
function ready(status: number, wire: string[], body?: Uint8Array): CoreResponse {
  const headers: Record<string, string> = {}
  for (let i = 0; i < wire.length; i += 2) headers[wire[i]!] = wire[i + 1]!
  return body === undefined ? { status, label: JWKS_PATH, headers, wire } : { status, label: JWKS_PATH, headers, wire, body }
}

function prepare(next: JwksSnapshot, maxAge: number): Prepared {
  const ok: Prepared['ok'] = { json: { get: [], head: [] }, jwkSet: { get: [], head: [] } }
  const notModified: Variants = []
  const length = String(next.body.byteLength)
  for (let step = 0; step < JITTER_STEPS; step++) {
    const common = [
      'X-Content-Type-Options', 'nosniff',
      ...CORS_READ_WIRE,
      'Cache-Control', `public, max-age=${jitteredMaxAge(maxAge, () => step / JITTER_STEPS)}`,
      'ETag', next.etag,
      'Vary', 'Accept',
    ]
    notModified.push(ready(304, common)) // RFC 9110 §15.4.5: a 304 carries the ETag, Cache-Control and Vary a 200 would
    for (const [type, media] of [['json', 'application/json'], ['jwkSet', JWK_SET_MEDIA_TYPE]] as const) {
      const wire = [...common, 'Content-Type', media, 'Content-Length', length]
      ok[type].get.push(ready(200, wire, next.body))
      ok[type].head.push(ready(200, wire))
    }
  }
  return { snapshot: next, ok, notModified }
}

export function createJwksRoute(
  manager: KeyManager,
  options: { maxAge: number; jitter: () => number; logger: Logger; metrics: ServerMetrics },
): JwksRoute {
  const { maxAge, jitter, logger, metrics } = options
  let prepared = prepare(createJwksSnapshot(manager.publicJwks()), maxAge)
  if (prepared.snapshot.dropped > 0) logger.error('private members dropped from the published set', { dropped: prepared.snapshot.dropped })
  const unsubscribe = manager.onChange((jwks) => {
    try {
      const next = createJwksSnapshot(jwks)
      if (next.dropped > 0) logger.error('private members dropped from the published set', { dropped: next.dropped })
      if (next.etag !== prepared.snapshot.etag) logger.info('jwks changed', { kids: next.kids, etag: next.etag })
      prepared = prepare(next, maxAge)
    } catch (error) {
      metrics.countError('onChange')
      logger.error('cannot serialise the new set; serving the previous one', { error })
    }
  })
  return {
    answer(request, head) {
      const current = prepared
      // Jitter per response: each answer's max-age is one of JITTER_STEPS values in (0.8·N, N].
      const r = jitter()
      const step = r >= 0 && r < 1 ? Math.floor(r * JITTER_STEPS) : 0
      const inm = request.header('if-none-match')
      if (inm !== undefined && ifNoneMatchMatches(inm, current.snapshot.etag)) return current.notModified[step]!
      const accept = request.header('accept')
      const type = accept !== undefined && negotiateJwksType(accept) === JWK_SET_MEDIA_TYPE ? 'jwkSet' : 'json'
      return current.ok[type][head ? 'head' : 'get'][step]!
    },
    close: unsubscribe,
  }
}
