/**
 * @module server/jwks-route
 * The hot route, `GET`/`HEAD /.well-known/jwks.json` (RFC 7517 §5). Everything it writes is
 * prepared at each change of the published set (`manager.onChange`): the body, its strong ETag,
 * and flat header arrays for each jitter step × media type, plus those of a 304 (RFC 9110
 * §15.4.5). A request only picks one — no store read, no object spread, no string building —
 * which keeps it close to a bare node:http server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { KeyManager } from '../store/types.ts'
import {
  createJwksSnapshot, ifNoneMatchMatches, jitteredMaxAge, JWK_SET_MEDIA_TYPE, negotiateJwksType, type JwksSnapshot,
} from './jwks-response.ts'
import type { Logger } from './logger.ts'
import type { ServerMetrics } from './metrics.ts'

/** Distinct jittered max-age values a response may carry. */
export const JITTER_STEPS = 16

export interface JwksRoute {
  /** Answers one request; returns the status written. */
  serve(req: IncomingMessage, res: ServerResponse, head: boolean): number
  /** Stops following the manager's changes. */
  close(): void
}

interface Prepared {
  snapshot: JwksSnapshot
  ok: Record<'json' | 'jwkSet', string[][]>
  notModified: string[][]
}

function prepare(next: JwksSnapshot, maxAge: number): Prepared {
  const ok: Prepared['ok'] = { json: [], jwkSet: [] }
  const notModified: string[][] = []
  const length = String(next.body.byteLength)
  for (let step = 0; step < JITTER_STEPS; step++) {
    const common = [
      'X-Content-Type-Options', 'nosniff',
      'Access-Control-Allow-Origin', '*',
      'Access-Control-Expose-Headers', 'ETag',
      'Cache-Control', `public, max-age=${jitteredMaxAge(maxAge, () => step / JITTER_STEPS)}`,
      'ETag', next.etag,
      'Vary', 'Accept',
    ]
    notModified.push(common) // RFC 9110 §15.4.5: a 304 carries the ETag, Cache-Control and Vary a 200 would
    ok.json.push([...common, 'Content-Type', 'application/json', 'Content-Length', length])
    ok.jwkSet.push([...common, 'Content-Type', JWK_SET_MEDIA_TYPE, 'Content-Length', length])
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
    serve(req, res, head) {
      const current = prepared
      // Jitter per response: each answer's max-age is one of JITTER_STEPS values in (0.8·N, N].
      const r = jitter()
      const step = r >= 0 && r < 1 ? Math.floor(r * JITTER_STEPS) : 0
      // The two fields come from rawHeaders: touching req.headers would build the whole object.
      let inm: string | undefined
      let accept: string | undefined
      const raw = req.rawHeaders
      for (let i = 0; i < raw.length; i += 2) {
        const name = raw[i]!
        if (name.length === 13 && name.toLowerCase() === 'if-none-match') inm = inm === undefined ? raw[i + 1] : `${inm}, ${raw[i + 1]}`
        else if (name.length === 6 && name.toLowerCase() === 'accept') accept = accept === undefined ? raw[i + 1] : `${accept}, ${raw[i + 1]}`
      }
      if (inm !== undefined && ifNoneMatchMatches(inm, current.snapshot.etag)) {
        res.writeHead(304, current.notModified[step])
        res.end()
        return 304
      }
      const type = accept !== undefined && negotiateJwksType(accept) === JWK_SET_MEDIA_TYPE ? 'jwkSet' : 'json'
      res.writeHead(200, current.ok[type][step])
      res.end(head ? undefined : current.snapshot.body)
      return 200
    },
    close: unsubscribe,
  }
}
