/**
 * @module server/routes
 * The route table of the key server: which path exists, with which methods (RFC 9110 §9), and
 * whether it is public (CORS-open, RFC 7517 §5 / OpenID Connect Discovery 1.0 §4 / RFC 8414 §3)
 * or admin. Resolution is pure: the path in, a route and its parameters out.
 */

export const JWKS_PATH = '/.well-known/jwks.json'
export const OIDC_DISCOVERY_PATH = '/.well-known/openid-configuration'
/** RFC 8414 §3: `/.well-known/oauth-authorization-server` (issuer without a path component). */
export const OAUTH_METADATA_PATH = '/.well-known/oauth-authorization-server'

export type RouteName =
  | 'jwks' | 'discovery' | 'healthz' | 'readyz' | 'metrics'
  | 'admin.keys' | 'admin.rotate' | 'admin.retire' | 'admin.revoke' | 'admin.sign'

export interface Route {
  name: RouteName
  /** The label used in metrics and logs: the template, never the raw path. */
  template: string
  methods: readonly string[]
  /** CORS-open (`Access-Control-Allow-Origin: *`) and answering OPTIONS preflights. */
  cors: boolean
  admin: boolean
}

const readOnly = ['GET', 'HEAD'] as const
const corsMethods = ['GET', 'HEAD', 'OPTIONS'] as const

const publicRoutes: Record<string, Route> = {
  [JWKS_PATH]: { name: 'jwks', template: JWKS_PATH, methods: corsMethods, cors: true, admin: false },
  [OIDC_DISCOVERY_PATH]: { name: 'discovery', template: OIDC_DISCOVERY_PATH, methods: corsMethods, cors: true, admin: false },
  [OAUTH_METADATA_PATH]: { name: 'discovery', template: OAUTH_METADATA_PATH, methods: corsMethods, cors: true, admin: false },
  '/healthz': { name: 'healthz', template: '/healthz', methods: readOnly, cors: false, admin: false },
  '/readyz': { name: 'readyz', template: '/readyz', methods: readOnly, cors: false, admin: false },
  '/metrics': { name: 'metrics', template: '/metrics', methods: readOnly, cors: false, admin: false },
}

const adminRoutes: Record<string, Route> = {
  '/admin/keys': { name: 'admin.keys', template: '/admin/keys', methods: readOnly, cors: false, admin: true },
  '/admin/keys/rotate': { name: 'admin.rotate', template: '/admin/keys/rotate', methods: ['POST'], cors: false, admin: true },
  '/admin/sign': { name: 'admin.sign', template: '/admin/sign', methods: ['POST'], cors: false, admin: true },
}
const exactRoutes = new Map<string, Route>([...Object.entries(publicRoutes), ...Object.entries(adminRoutes)])
const retire: Route = { name: 'admin.retire', template: '/admin/keys/{kid}/retire', methods: ['POST'], cors: false, admin: true }
const revoke: Route = { name: 'admin.revoke', template: '/admin/keys/{kid}/revoke', methods: ['POST'], cors: false, admin: true }

/** Label for paths that match no route. */
export const UNMATCHED = 'unmatched'
/** Label for admin paths answered 401 before being resolved. */
export const ADMIN_UNRESOLVED = '/admin/*'

export interface ResolvedRoute {
  route: Route
  kid?: string
}

/** True for any path of the admin API (`/admin` and below), existing route or not. */
export function isAdminPath(path: string): boolean {
  return path === '/admin' || path.startsWith('/admin/')
}

/**
 * Resolves a request path (without query). Returns undefined for unknown paths, and `null` when a
 * `{kid}` segment is not valid percent-encoding (RFC 3986 §2.1).
 */
export function resolveRoute(path: string): ResolvedRoute | undefined | null {
  const plain = exactRoutes.get(path)
  if (plain !== undefined) return { route: plain }
  const match = /^\/admin\/keys\/([^/]+)\/(retire|revoke)$/.exec(path)
  if (match === null) return undefined
  let kid: string
  // A kid is a thumbprint here (43 characters); longer than 256 is no stored kid, and is not decoded.
  if (match[1]!.length > 3 * 256) return null
  try {
    kid = decodeURIComponent(match[1]!)
  } catch {
    return null
  }
  if (kid.length > 256) return null
  return { route: match[2] === 'retire' ? retire : revoke, kid }
}
