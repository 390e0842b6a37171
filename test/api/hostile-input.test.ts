// Untrusted input that throws when read (a getter, or any trap of a Proxy) is refused with a
// JwkitError, never the thrower's own exception, by every public function that takes a JWK, a JWK
// Set, or a JWS / JWE JSON object.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as api from '../../src/index.ts'
import { isJwkitError } from '../../src/errors.ts'

class Boom extends Error {}
const boom = () => { throw new Boom('hostile input') }

/** Objects that throw on every read of some kind: getters for each member, and each Proxy trap a reader hits. */
function hostile(base: Record<string, unknown>): Array<[string, object]> {
  const getter = {}
  for (const name of Object.keys(base)) Object.defineProperty(getter, name, { get: boom, enumerable: true })
  const trap = (name: keyof ProxyHandler<object>) => new Proxy({ ...base }, { [name]: boom })
  return [
    ['a throwing getter', getter],
    ['a Proxy whose get throws', trap('get')],
    ['a Proxy whose ownKeys throws', trap('ownKeys')],
    ['a Proxy whose getOwnPropertyDescriptor throws', trap('getOwnPropertyDescriptor')],
    ['a Proxy whose getPrototypeOf throws', trap('getPrototypeOf')],
  ]
}

const es = await api.generateJwk('ES256', { kid: 'es' })
const esPublic = api.toPublicJwk(es)
const flattened = await api.signJws('hello', es, { alg: 'ES256', serialization: 'flattened', header: { x: 1 } })
const aes = await api.generateJwk('A128KW')
const jwe = await api.encryptJwe('secret', aes, { alg: 'A128KW', enc: 'A128GCM', serialization: 'flattened', unprotectedHeader: { x: 1 } })

/**
 * The call ends in a JwkitError, or (when the reader never needed the trap that throws) succeeds;
 * with every member a throwing getter it must be refused.
 */
async function refused(what: string, run: () => unknown): Promise<void> {
  try {
    await run()
  } catch (error) {
    assert.ok(isJwkitError(error), `${what}: threw ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`)
    return
  }
  assert.ok(!what.includes('a throwing getter'), `${what}: accepted`)
}

const CASES: Record<string, (x: object) => unknown> = {
  'parseJwk(x)': (x) => api.parseJwk(x),
  'importJwk(x)': (x) => api.importJwk(x),
  'toPublicJwk(x)': (x) => api.toPublicJwk(x as never),
  'thumbprint(x)': (x) => api.thumbprint(x as never),
  'parseJwkSet({ keys: [x] }) (an unreadable key is skipped, not a crash)': (x) => {
    const r = api.parseJwkSet({ keys: [x] })
    // A key that cannot be read is skipped with a problem; the set then has no usable key.
    if (r.keys.length === 0) throw new api.JwkitError('ERR_JWKS_INVALID', `skipped: ${r.skipped.map((p) => p.code).join(',')}`)
  },
  'createLocalJwks({ keys: [x] })': async (x) => api.verifyJwt(await api.signJwt({}, es), api.createLocalJwks({ keys: [x as never] })),
  'verifyJwt(token, x)': async (x) => api.verifyJwt(await api.signJwt({}, es), x as never),
}

test('a JWK that throws when read: JwkitError from every function that takes one', async () => {
  for (const [name, run] of Object.entries(CASES)) {
    for (const [how, x] of hostile(esPublic as unknown as Record<string, unknown>)) await refused(`${name} with ${how}`, () => run(x))
  }
})

test('checkJwk never throws: an unreadable key is a problem, valid false', () => {
  for (const [how, x] of hostile(esPublic as unknown as Record<string, unknown>)) {
    const r = api.checkJwk(x) // throws nothing, whatever the trap
    if (how === 'a throwing getter') {
      assert.equal(r.valid, false, how)
      assert.ok(r.problems.length > 0, how)
    } else if (!r.valid) assert.ok(r.problems.length > 0, how)
  }
})

test('a JWK Set, a JWS or a JWE JSON object that throws when read: JwkitError', async () => {
  for (const [how, x] of hostile({ keys: [esPublic] })) await refused(`parseJwkSet with ${how}`, () => api.parseJwkSet(x))
  for (const [how, x] of hostile(flattened as unknown as Record<string, unknown>)) {
    await refused(`verifyJws(object) with ${how}`, () => api.verifyJws(x as never, esPublic))
    await refused(`verifyJws({ signatures: [object] }) with ${how}`, () => api.verifyJws({ payload: (flattened as { payload: string }).payload, signatures: [x] } as never, esPublic))
  }
  for (const [how, x] of hostile({ x: 1 })) await refused(`verifyJws(unprotected header ${how})`, () => api.verifyJws({ ...flattened, header: x } as never, esPublic))
  for (const [how, x] of hostile(jwe as unknown as Record<string, unknown>)) await refused(`decryptJwe(object) with ${how}`, () => api.decryptJwe(x as never, aes))
  for (const [how, x] of hostile({ x: 1 })) await refused(`decryptJwe(unprotected ${how})`, () => api.decryptJwe({ ...jwe, unprotected: x } as never, aes))
})
