// The harness of the polluted-prototype tests (polluted-prototype.test.ts and, for the guards,
// polluted-prototype-guards.test.ts): the option names per public function (from the TypeScript
// declarations, see option-names.ts), the polluting values, and one test per function that runs
// its scenarios with `Object.prototype[name]` set to each value and asserts no outcome changes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isJwkitError } from '../../src/errors.ts'
import { publicOptionNames, publicTypeMembers } from './option-names.ts'

/** Parameters whose properties are options (or untrusted members read by name). */
export const OPTION_PARAMS = new Set(['options', 'policy', 'criteria', 'spec', 'overrides', 'flags', 'config', 'source'])

/**
 * Names no library can defend against on Object.prototype: property descriptors read
 * get/set/value/writable/enumerable/configurable through the prototype (Object.defineProperty
 * then throws for everyone), and a `then` makes every object a thenable.
 */
const LANGUAGE = new Set(['get', 'set', 'value', 'writable', 'enumerable', 'configurable', 'then', 'toJSON', 'toString', 'valueOf', 'constructor'])

const polluter = () => { throw new Error('a polluted function was called') }
const VALUES: unknown[] = [true, false, 1e9, -1, 'polluted', ['polluted'], new Date(8.64e15), polluter]

/** The public functions whose scenarios live in polluted-prototype-guards.test.ts. */
export const GUARD_FUNCTIONS: readonly string[] = [
  'createRedisJwksCache', 'verifyAccessToken', 'verifyDpopProof', 'createDpopProof', 'createDpopNonces',
  'createMemoryReplayCache', 'createRedisReplayCache', 'verifyIdToken', 'withAccessToken',
]

export type Scenario = () => unknown

async function outcome(run: Scenario): Promise<string> {
  try {
    const r = await run()
    return `ok ${typeof r === 'string' ? r : JSON.stringify(r)}`
  } catch (error) {
    if (isJwkitError(error)) return `JwkitError ${error.code}`
    return `threw ${(error as Error)?.name}: ${(error as Error)?.message}`
  }
}

export const declared = publicOptionNames()
export const jwsHeader = publicTypeMembers('JwsHeader')
export const jweHeader = publicTypeMembers('JweHeader')
export const claims = publicTypeMembers('JwtClaims')
export const requestMembers = publicTypeMembers('RequestLike')

export const headerOf = (token: string) => Buffer.from(token.split('.')[0]!, 'base64url').toString()
export const payloadOf = (token: string) => Object.keys(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as object).sort().join(',')

/**
 * One test per declared function that has scenarios: every option name (and every untrusted
 * member name given), each of VALUES on Object.prototype, must leave every outcome as it was.
 */
export function pollutionTests(scenariosOf: Record<string, Scenario[]>, untrusted: Record<string, readonly string[]>): void {
  for (const [name, params] of declared) {
    const names = [...new Set([...params.filter((p) => OPTION_PARAMS.has(p.param)).flatMap((p) => p.names), ...(untrusted[name] ?? [])])].filter((n) => !LANGUAGE.has(n))
    const scenarios = scenariosOf[name]
    if (names.length === 0 || scenarios === undefined) continue
    test(`${name}: Object.prototype.{${names.join(', ')}} change no outcome`, async () => {
      const baseline = await Promise.all(scenarios.map((s) => outcome(s)))
      const changed: string[] = []
      for (const option of names) {
        for (const value of VALUES) {
          Object.defineProperty(Object.prototype, option, { value, writable: true, configurable: true, enumerable: false })
          let results: string[]
          try {
            results = []
            for (const s of scenarios) results.push(await outcome(s))
          } finally {
            delete (Object.prototype as Record<string, unknown>)[option]
          }
          const i = results.findIndex((r, j) => r !== baseline[j])
          // One line per option (its first value and scenario that changed an outcome) keeps the report short.
          if (i >= 0 && !changed.some((c) => c.startsWith(`${option}=`))) {
            changed.push(`${option}=${typeof value === 'function' ? 'function' : JSON.stringify(value)} scenario ${i}: ${baseline[i]} -> ${results[i]}`)
          }
        }
      }
      assert.deepEqual(changed, [])
    })
  }
}
