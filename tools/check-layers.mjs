// Layer check (DESIGN.md): imports point down the list; a lower layer never imports a higher one.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const order = ['util', 'backend', 'jwk', 'crypto', 'formats', 'jws', 'jwt', 'jwe', 'jwks', 'store', 'server', 'cli']
const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.ts') ? [join(d, e.name)] : []))
let bad = 0
for (const [i, layer] of order.entries()) {
  let files = []
  try { files = walk(join('src', layer)) } catch { continue }
  for (const f of files) {
    const text = readFileSync(f, 'utf8')
    for (const m of text.matchAll(/from\s+['"]((?:\.\.\/)+)([a-z-]+)\//g)) {
      const j = order.indexOf(m[2])
      if (j > i) { console.error(`${f}: imports the higher layer src/${m[2]}`); bad++ }
    }
  }
}
if (bad) process.exit(1)
console.log('layers ok')
