/**
 * @module server/metrics
 * Counters and gauges in the Prometheus text exposition format (version 0.0.4): requests by
 * route and status, rotations, store errors and reachability, key ages. Request counting is one
 * map lookup and an increment, so it stays on the hot path.
 */
import type { KeyManager } from '../store/types.ts'

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

export interface ServerMetrics {
  /** Counts one answered request; `route` is the route template, never the raw path. */
  count(route: string, status: number): void
  /** A counter bound to one route, for hot paths (no map lookup by route per request). */
  routeCounter(route: string): (status: number) => void
  /** Counts one failed background action (scheduler tick, change listener). */
  countError(kind: string): void
  /** Counts one request the client aborted, or the server cut for slowness (408), before it was answered. */
  countAborted(route: string): void
  /** Current aborted count of a route (tests). */
  aborted(route: string): number
  /** Current counter value (tests, readiness). */
  requests(route: string, status: number): number
  render(manager: KeyManager, now?: number): string
}

/** Escapes a label value (exposition format: backslash, double quote, line feed). */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

export function createServerMetrics(): ServerMetrics {
  // Per route, an object keyed by status: integer keys are array-backed in V8, so `+= 1` is cheap.
  const requests = new Map<string, Record<number, number>>()
  const errors = new Map<string, number>()
  const abortedByRoute = new Map<string, number>()
  const statuses = (route: string): Record<number, number> => {
    let byStatus = requests.get(route)
    if (byStatus === undefined) requests.set(route, (byStatus = {}))
    return byStatus
  }
  return {
    count(route, status) {
      const byStatus = statuses(route)
      byStatus[status] = (byStatus[status] ?? 0) + 1
    },
    routeCounter(route) {
      const byStatus = statuses(route)
      return (status) => { byStatus[status] = (byStatus[status] ?? 0) + 1 }
    },
    countError(kind) {
      errors.set(kind, (errors.get(kind) ?? 0) + 1)
    },
    countAborted(route) {
      abortedByRoute.set(route, (abortedByRoute.get(route) ?? 0) + 1)
    },
    aborted(route) {
      return abortedByRoute.get(route) ?? 0
    },
    requests(route, status) {
      return requests.get(route)?.[status] ?? 0
    },
    render(manager, now = Date.now()) {
      const lines: string[] = []
      const status = manager.status()
      lines.push('# HELP jwkit_http_requests_total HTTP requests answered, by route template and status.')
      lines.push('# TYPE jwkit_http_requests_total counter')
      for (const [route, byStatus] of requests) {
        for (const [code, n] of Object.entries(byStatus)) {
          lines.push(`jwkit_http_requests_total{route="${escapeLabel(route)}",status="${code}"} ${n}`)
        }
      }
      lines.push('# HELP jwkit_http_requests_aborted_total Requests the client aborted or the server cut (408) before an answer, by route template.')
      lines.push('# TYPE jwkit_http_requests_aborted_total counter')
      for (const [route, n] of abortedByRoute) lines.push(`jwkit_http_requests_aborted_total{route="${escapeLabel(route)}"} ${n}`)
      lines.push('# HELP jwkit_key_rotations_total Rotations applied by this process.')
      lines.push('# TYPE jwkit_key_rotations_total counter')
      lines.push(`jwkit_key_rotations_total ${status.rotations}`)
      lines.push('# HELP jwkit_store_errors_total Failed key store operations seen by this process.')
      lines.push('# TYPE jwkit_store_errors_total counter')
      lines.push(`jwkit_store_errors_total ${status.storeErrors}`)
      lines.push('# HELP jwkit_store_reachable 1 while the key store answers, 0 while the last-known set is served.')
      lines.push('# TYPE jwkit_store_reachable gauge')
      lines.push(`jwkit_store_reachable ${status.storeReachable ? 1 : 0}`)
      if (status.lastSyncAt !== undefined) {
        lines.push('# HELP jwkit_store_last_sync_age_seconds Seconds since the set was last loaded from the store.')
        lines.push('# TYPE jwkit_store_last_sync_age_seconds gauge')
        lines.push(`jwkit_store_last_sync_age_seconds ${Math.max(0, (now - status.lastSyncAt) / 1000)}`)
      }
      lines.push('# HELP jwkit_background_errors_total Failed background actions (scheduler ticks, change listeners).')
      lines.push('# TYPE jwkit_background_errors_total counter')
      for (const [kind, n] of errors) lines.push(`jwkit_background_errors_total{kind="${escapeLabel(kind)}"} ${n}`)
      lines.push('# HELP jwkit_key_age_seconds Age of each published or signing key since creation, by kid, alg and state.')
      lines.push('# TYPE jwkit_key_age_seconds gauge')
      for (const key of manager.keys()) {
        if (key.state === 'removed' || key.state === 'revoked') continue
        const labels = `kid="${escapeLabel(key.kid)}",alg="${escapeLabel(key.alg)}",state="${key.state}"`
        lines.push(`jwkit_key_age_seconds{${labels}} ${Math.max(0, (now - key.createdAt) / 1000)}`)
      }
      lines.push('# HELP jwkit_jwks_keys Keys in the published JWK Set.')
      lines.push('# TYPE jwkit_jwks_keys gauge')
      lines.push(`jwkit_jwks_keys ${manager.publicJwks().keys.length}`)
      return lines.join('\n') + '\n'
    },
  }
}
