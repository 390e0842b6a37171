/**
 * The option names of every public function, read from the TypeScript declarations of the
 * package entries (src/index.ts, src/store/index.ts, src/server/index.ts; the compiler API): for each exported function, each parameter whose declared type
 * has named properties (an options bag, a policy, criteria, a key spec, ...) contributes the names
 * of its properties. A new option in a type is therefore covered by the pollution test without
 * editing it. Functions, classes and interfaces of non-plain types (KeyObject, Date, URL,
 * Uint8Array, ...) contribute nothing.
 */
import ts from 'typescript'
import { fileURLToPath } from 'node:url'

const ENTRIES = ['../../src/index.ts', '../../src/store/index.ts', '../../src/server/index.ts'].map((e) => fileURLToPath(new URL(e, import.meta.url)))
const TSCONFIG = fileURLToPath(new URL('../../tsconfig.json', import.meta.url))

/** Types whose members are not options (built-ins and values passed through). */
const OPAQUE = /^(KeyObject|CryptoKey|Date|URL|Uint8Array|Buffer|ArrayBuffer|Map|Set|Promise|RegExp|Error|Headers|Response|Request|AbortSignal|Server|IncomingMessage|ServerResponse|Array|ReadonlyArray|String|Number|Boolean|Function)\b/

let cached: { checker: ts.TypeChecker; exports: ts.Symbol[] } | undefined
function load() {
  if (cached) return cached
  const config = ts.getParsedCommandLineOfConfigFile(TSCONFIG, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!
  const program = ts.createProgram(ENTRIES, { ...config.options, noEmit: true })
  const checker = program.getTypeChecker()
  const exports = ENTRIES.flatMap((entry) => checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!))
  cached = { checker, exports }
  return cached
}

/** The member names of an exported interface or type (JwsHeader, JweHeader, JwtClaims, ...). */
export function publicTypeMembers(typeName: string): string[] {
  const { checker, exports } = load()
  const exported = exports.find((e) => e.getName() === typeName)
  if (exported === undefined) throw new Error(`no package entry exports a type ${typeName}`)
  const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
  return checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)).map((p) => p.getName())
}

export function publicOptionNames(): Map<string, { param: string; names: string[] }[]> {
  const { checker, exports } = load()
  const out = new Map<string, { param: string; names: string[] }[]>()
  for (const exported of exports) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
    if (!(symbol.flags & ts.SymbolFlags.Function)) continue
    const type = checker.getTypeOfSymbol(symbol)
    const params: { param: string; names: string[] }[] = []
    for (const signature of type.getCallSignatures()) {
      for (const p of signature.getParameters()) {
        const names = new Set<string>()
        const declared = checker.getTypeOfSymbol(p)
        const parts = declared.isUnion() ? declared.types : [declared]
        for (const part of parts) {
          if (!(part.flags & ts.TypeFlags.Object) && !part.isIntersection()) continue
          if (part.getCallSignatures().length > 0) continue
          if (OPAQUE.test(checker.typeToString(part))) continue
          if (checker.isArrayType(part) || checker.isTupleType(part)) continue
          for (const prop of checker.getPropertiesOfType(part)) names.add(prop.getName())
        }
        if (names.size > 0) {
          const entry = params.find((x) => x.param === p.getName())
          if (entry) for (const n of names) { if (!entry.names.includes(n)) entry.names.push(n) }
          else params.push({ param: p.getName(), names: [...names] })
        }
      }
    }
    out.set(exported.getName(), params)
  }
  return out
}
