// The layer check (`npm run lint`): the one home of the rules on how src/ is cut.
// Usage: node tools/check-layers.mjs [ROOT]   (ROOT holds src/ and package.json; default: the
// current directory). Prints `file:line: rule: message` per problem and exits 1 on any; stale
// exceptions are printed as warnings and do not fail.
//
// Every import form counts, parsed by TypeScript (so comments and strings never do): static
// `import`, side-effect `import 'x'`, `export … from`, `export * from`, `import()` (its argument
// must be a string literal), `require('x')`, `createRequire(…)('x')`, type-only `import type`
// and `import('x').T`.
//
// Rules:
//   layer      a relative import points down LAYERS (or within its own layer), never up, never
//              outside src/, never at src/index.ts; `#name` imports are resolved through
//              package.json "imports" and each target is held to the same rule.
//   folder     every folder directly under src/ is a layer of LAYERS (absent layers are fine);
//              the only files directly under src/ are index.ts and errors.ts.
//   errors     src/errors.ts, the one registry of codes, imports nothing; every layer may import it.
//   index      src/index.ts and src/<layer>/index.ts only re-export (`export … from`).
//   entry      the package entries (package.json "exports" → src/) list their names (no
//              `export *`); the main entry "." re-exports portable layers only.
//   node       a `node:` module is imported (at run time; type-only imports are free) only where
//              the layer allows it or EXCEPTIONS records it; Node's builtins only as `node:x`.
//              A `#name` target not written yet and an unused exception are warnings.
//   package    an npm package is imported at run time only where the layer allows it, and it is
//              a dependency or peer dependency in package.json (never a devDependency).
//   tla        no top-level await anywhere in src/ (CommonJS `require` of the package needs that).
//   effects    no top-level expression statement — a call or an assignment that could reach
//              global state (package.json "sideEffects": false) — except in the bin's layer (cli).
//              Loops that fill a module's own tables are left alone.
//   buffer     the portable layers never name `Buffer` (Node's global, globalThis.Buffer, or
//              node:buffer's, in code or in types): bytes are Uint8Array, text encodings go
//              through `#codec`. Only BUFFER_FILES may: the node codec and the node backend.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

/**
 * The layers of src/, lowest first: a layer imports only the layers above it in this list (and
 * itself). `node`: the `node:` modules it may import at run time ('*': any); `packages`: the npm
 * packages it may import at run time; `portable`: part of the `jwkit` entry, which must run
 * outside Node. Add a layer by adding a line; a folder under src/ not listed here is an error.
 */
export const LAYERS = [
  { name: 'util', portable: true, node: [], packages: [] },
  // The crypto seam: node:crypto (KeyObject fast path) or WebCrypto + @noble, chosen by exports conditions.
  { name: 'backend', portable: true, node: ['node:crypto', 'node:buffer', 'node:zlib', 'node:module'], packages: ['@noble/curves', '@noble/hashes', '@noble/ciphers', '@noble/post-quantum', 'bcrypt-pbkdf'] },
  { name: 'jwk', portable: true, node: [], packages: [] },
  { name: 'crypto', portable: true, node: [], packages: [] },
  { name: 'formats', portable: true, node: [], packages: [] },
  { name: 'jws', portable: true, node: [], packages: [] },
  { name: 'jwt', portable: true, node: [], packages: [] },
  { name: 'jwe', portable: true, node: [], packages: [] },
  { name: 'jwks', portable: true, node: [], packages: [] },
  // Relying-party guards; their framework adapters (jwkit/express, jwkit/fastify, jwkit/hono) too.
  { name: 'guard', portable: true, node: [], packages: [] },
  // The page's code (workbench, dashboard): over the portable layers only; bundled for browsers by tools/build-web.mjs.
  { name: 'web', portable: true, node: [], packages: [] },
  { name: 'store', portable: false, node: '*', packages: ['better-sqlite3', 'pg'] },
  { name: 'server', portable: false, node: '*', packages: [] },
  { name: 'cli', portable: false, node: '*', packages: [] },
]

/**
 * What the portable layers import today against their rule — until the backend seam lands
 * (src/backend/ takes node:crypto, node:buffer and @noble behind one interface). Each entry is
 * permission for the whole layer; the check warns when an entry is no longer used, so the table
 * only shrinks. Do not add to it: put the import behind the backend instead.
 */
export const EXCEPTIONS = {
  // @noble/post-quantum: ML-DSA (AKP keys) has no WebCrypto form anywhere, so both backends share it.
  jwk: ['@noble/post-quantum'],
  crypto: ['@noble/post-quantum'],
}

/** Files whose top-level statements may have effects: the bin, and the page's entry scripts (never imported). */
const EFFECTS_ALLOWED = new Set(['cli'])
const EFFECTS_FILES = /^src\/web\/ui\/[a-z-]+-main\.ts$/

/** The portable files that may name Buffer: the Node sides of the two seams (#codec, #backend). */
export const BUFFER_FILES = new Set(['src/util/codec-node.ts', 'src/backend/node.ts'])
const GLOBALS = new Set(['globalThis', 'global', 'self', 'window'])
/** `globalThis`, `(globalThis as any)`, `globalThis!`…: the global object, however wrapped. */
const isGlobal = (e) => {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression
  return ts.isIdentifier(e) && GLOBALS.has(e.text)
}

/** Every mention of Buffer as a name: an identifier (not a member of another object), globalThis.Buffer, globalThis['Buffer']. */
function bufferMentions(sf) {
  const found = []
  const visit = (node) => {
    if (ts.isIdentifier(node) && node.text === 'Buffer') {
      const p = node.parent
      const member = (ts.isPropertyAccessExpression(p) && p.name === node && !isGlobal(p.expression)) ||
        ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p) || ts.isMethodSignature(p)) && p.name === node)
      if (!member) found.push(node)
    } else if (ts.isElementAccessExpression(node) && isGlobal(node.expression) &&
      ts.isStringLiteralLike(node.argumentExpression) && node.argumentExpression.text === 'Buffer') {
      found.push(node)
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
  return found
}

const ROOT_FILES = new Set(['index.ts', 'errors.ts'])
const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')))

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    return e.isDirectory() ? walk(p) : /\.(m?ts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : []
  })
}

/** import(…), require(…) and createRequire(…)(…): calls that load a module. */
const isLoader = (callee) =>
  callee.kind === ts.SyntaxKind.ImportKeyword ||
  (ts.isIdentifier(callee) && callee.text === 'require') ||
  (ts.isCallExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'createRequire')

/** Every import of a source file: { spec, line, typeOnly, dynamic, node }. */
function importsOf(sf) {
  const out = []
  const add = (node, spec, typeOnly, extra = {}) =>
    out.push({ spec, typeOnly, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, node, ...extra })
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      // Only `import type …` is erased; `import { type A } from` stays as an import (verbatimModuleSyntax).
      add(node, node.moduleSpecifier.text, node.importClause?.isTypeOnly === true)
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, node.isTypeOnly, { reexport: true, star: node.exportClause === undefined || ts.isNamespaceExport(node.exportClause) })
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node, node.argument.literal.text, true)
    } else if (ts.isCallExpression(node) && isLoader(node.expression)) {
      const arg = node.arguments[0]
      if (arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) add(node, arg.text, false, { dynamic: true })
      else add(node, undefined, false, { dynamic: true })
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
  return out
}

/** `await` (or `for await`) outside any function: top-level await. */
function topLevelAwaits(sf) {
  const found = []
  const visit = (node) => {
    if (ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node)) return
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) found.push(node)
    ts.forEachChild(node, visit)
  }
  ts.forEachChild(sf, visit)
  return found
}

/** The npm package a bare specifier names: `@scope/name` or `name`. */
const packageOf = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0])

export function checkLayers(root) {
  const src = join(root, 'src')
  const problems = []
  const warnings = []
  const report = (file, line, rule, message) => problems.push(`${relative(root, file).split(sep).join('/')}:${line}: ${rule}: ${message}`)
  const order = LAYERS.map((l) => l.name)
  const manifest = existsSync(join(root, 'package.json')) ? JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) : {}
  const runtimeDeps = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {})])
  const used = new Set()
  const missingTargets = new Set()

  // package.json "exports" targets → their source files (./dist/src/x.js → src/x.ts).
  const toSource = (target) => {
    const m = /^\.\/(?:dist\/)?(src\/.+?)(?:\.d)?\.(?:js|ts|mjs|mts)$/.exec(target)
    return m ? resolve(root, `${m[1]}.ts`) : undefined
  }
  const targetsOf = (value) => (typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(targetsOf) : [])
  const entries = new Map() // source file → subpath
  for (const [subpath, value] of Object.entries(typeof manifest.exports === 'object' && manifest.exports !== null ? manifest.exports : {})) {
    for (const t of targetsOf(value)) {
      const file = toSource(t)
      if (file) entries.set(file, subpath)
    }
  }

  // folder: what lives directly under src/.
  for (const e of readdirSync(src, { withFileTypes: true })) {
    const p = join(src, e.name)
    if (e.isDirectory() && !order.includes(e.name)) report(p, 1, 'folder', `src/${e.name}/ is not a layer (tools/check-layers.mjs LAYERS lists them: ${order.join(', ')})`)
    if (!e.isDirectory() && !ROOT_FILES.has(e.name)) report(p, 1, 'folder', `only index.ts and errors.ts live directly under src/; put ${e.name} in a layer`)
  }

  /** Where a path falls: { layer, rank } in a layer, { root } directly under src/, or { outside }. */
  const place = (abs) => {
    const rel = relative(src, abs)
    if (rel.startsWith('..') || rel === '' || resolve(src, rel) !== abs) return { outside: true }
    const parts = rel.split(sep)
    if (parts.length === 1) return { root: parts[0] }
    return { layer: parts[0], rank: order.indexOf(parts[0]) }
  }

  const files = walk(src)
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
    const here = place(file)
    const layer = LAYERS.find((l) => l.name === here.layer)
    const isEntry = entries.has(file)
    const isMain = entries.get(file) === '.'
    const isIndex = here.root === 'index.ts' || (here.layer !== undefined && relative(join(src, here.layer), file) === 'index.ts')
    const imports = importsOf(sf)

    // errors
    if (here.root === 'errors.ts') for (const i of imports) report(file, i.line, 'errors', `src/errors.ts imports nothing (every layer imports it): ${i.spec ?? 'import()'}`)

    // index: re-exports only
    if (isIndex) {
      for (const st of sf.statements) {
        const reexport = ts.isExportDeclaration(st) && st.moduleSpecifier !== undefined
        if (!reexport) report(file, sf.getLineAndCharacterOfPosition(st.getStart(sf)).line + 1, 'index', `${relative(root, file).split(sep).join('/')} only re-exports (\`export … from\`); move this to a module of its own`)
      }
    }

    // tla
    for (const a of topLevelAwaits(sf)) report(file, sf.getLineAndCharacterOfPosition(a.getStart(sf)).line + 1, 'tla', 'top-level await: a module graph with it cannot be loaded by require()')

    // effects
    if (!EFFECTS_ALLOWED.has(here.layer) && !EFFECTS_FILES.test(relative(root, file).split(sep).join('/'))) {
      for (const st of sf.statements) {
        if (ts.isExpressionStatement(st) && !(ts.isStringLiteral(st.expression))) {
          report(file, sf.getLineAndCharacterOfPosition(st.getStart(sf)).line + 1, 'effects', 'a top-level call or assignment (package.json "sideEffects": false); do it inside a function, or build the value in a declaration')
        }
      }
    }

    // buffer: no Buffer in the portable layers but on the Node sides of the seams.
    if (layer?.portable && !BUFFER_FILES.has(relative(root, file).split(sep).join('/'))) {
      for (const n of bufferMentions(sf)) {
        report(file, sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1, 'buffer', `the ${layer.name} layer is portable: no Buffer (bytes are Uint8Array; text encodings through #codec, src/util/codec-*.ts)`)
      }
    }

    for (const imp of imports) {
      const { spec, line } = imp
      if (spec === undefined) {
        report(file, line, 'layer', 'import() or require() of a computed specifier cannot be checked; use a string literal')
        continue
      }
      if (isEntry && imp.star) report(file, line, 'entry', `the package entry ${entries.get(file)} lists its names: no \`export *\` from ${spec}`)

      // Relative and `#` imports: the layer rule.
      let targets = []
      if (spec.startsWith('.')) targets = [resolve(dirname(file), spec)]
      else if (spec.startsWith('#')) {
        const mapped = manifest.imports?.[spec]
        if (mapped === undefined) { report(file, line, 'layer', `${spec} is not in package.json "imports"`); continue }
        // Every condition's target, once; a target not written yet is a warning (the package
        // test checks what ships), the layer rule holds for those that exist.
        targets = [...new Set(targetsOf(mapped).map((t) => toSource(t) ?? resolve(root, t)))].filter((t) => {
          if (existsSync(t)) return true
          missingTargets.add(`warning: package.json "imports" ${spec} → ${relative(root, t).split(sep).join('/')}: no such file`)
          return false
        })
      }
      if (spec.startsWith('.') || spec.startsWith('#')) {
        for (let target of targets) {
          if (!existsSync(target) && target.endsWith('.js') && existsSync(target.replace(/\.js$/, '.ts'))) target = target.replace(/\.js$/, '.ts')
          if (!existsSync(target) || statSync(target).isDirectory()) { report(file, line, 'layer', `${spec} does not resolve to a file`); continue }
          const there = place(target)
          if (there.outside) { report(file, line, 'layer', `${spec} reaches outside src/`); continue }
          if (there.root === 'index.ts') { report(file, line, 'layer', 'src/index.ts is the package entry: nothing in src/ imports it'); continue }
          if (there.root === 'errors.ts') continue
          if (there.rank < 0) continue // reported by the folder rule
          if (isMain && !LAYERS[there.rank].portable) report(file, line, 'entry', `the portable entry (jwkit) re-exports the Node-only layer ${there.layer}; export it from its own subpath`)
          if (here.rank !== undefined && here.rank >= 0 && there.rank > here.rank) {
            report(file, line, 'layer', `${here.layer} imports the higher layer ${there.layer} (${spec}); imports point down: ${order.join(' → ')}`)
          }
        }
        continue
      }

      // Bare specifiers: node: modules and npm packages.
      const bareBuiltin = BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0])
      if (!spec.startsWith('node:') && bareBuiltin) { report(file, line, 'node', `Node's ${spec} is imported as node:${spec}`); continue }
      if (imp.typeOnly) continue
      const isNode = spec.startsWith('node:')
      const module = isNode ? spec : packageOf(spec)
      if (!isNode && !runtimeDeps.has(module)) report(file, line, 'package', `${module} is not a dependency or peer dependency in package.json`)
      if (!layer) {
        // src/index.ts and src/errors.ts: re-exports and the registry, no outside module.
        report(file, line, isNode ? 'node' : 'package', `src/${here.root} imports no outside module (${spec})`)
        continue
      }
      const allowed = isNode ? layer.node : layer.packages
      if (allowed === '*' || allowed.includes(module)) continue
      if (EXCEPTIONS[layer.name]?.includes(module)) { used.add(`${layer.name} ${module}`); continue }
      report(file, line, isNode ? 'node' : 'package', `the ${layer.name} layer may not import ${module}${layer.portable ? ' (it is portable: reach the platform through the backend)' : ''}`)
    }
  }

  for (const [name, modules] of Object.entries(EXCEPTIONS)) {
    if (!order.includes(name)) problems.push(`tools/check-layers.mjs: EXCEPTIONS names ${name}, which is not a layer`)
    if (!existsSync(join(src, name))) continue // a layer not written yet
    for (const m of modules) if (!used.has(`${name} ${m}`)) warnings.push(`warning: the exception "${name}: ${m}" is no longer needed; remove it from EXCEPTIONS in tools/check-layers.mjs`)
  }
  warnings.push(...missingTargets)
  return { problems, warnings, files: files.length }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? '.')
  const { problems, warnings, files } = checkLayers(root)
  for (const w of warnings) console.error(w)
  for (const p of problems) console.error(p)
  if (problems.length > 0) {
    console.error(`layer check: ${problems.length} problem${problems.length === 1 ? '' : 's'}`)
    process.exit(1)
  }
  console.log(`layers ok (${files} files)`)
}
