// Preloaded (`--import`) into every test file process by tools/run-tests.mjs: gives each test
// (`test`, `it` and their .only/.skip/.todo forms) a timeout of JWKIT_TEST_TIMEOUT_MS, and caps
// any longer one a test asks for, so a hung test fails by name before the runner's per-file
// deadline kills the process. (Node 20 applies `--test-timeout` only under `--test`, and there
// to the whole file, so the flag alone bounds nothing when a file runs as its own process.)
import { createRequire, syncBuiltinESMExports } from 'node:module'

const limit = Number(process.env.JWKIT_TEST_TIMEOUT_MS)
if (Number.isFinite(limit) && limit > 0) {
  const nodeTest = createRequire(import.meta.url)('node:test')

  const bound = (args) => {
    const at = args.findIndex((a) => typeof a === 'object' && a !== null)
    if (at >= 0) {
      const given = args[at].timeout
      if (!(typeof given === 'number' && given <= limit)) args[at] = { ...args[at], timeout: limit }
      return args
    }
    const fn = args.findIndex((a) => typeof a === 'function')
    args.splice(fn >= 0 ? fn : args.length, 0, { timeout: limit })
    return args
  }

  const wrap = (original) => {
    const wrapped = function (...args) {
      return original.apply(this, bound(args))
    }
    for (const variant of ['only', 'skip', 'todo']) {
      if (typeof original[variant] === 'function') {
        const v = original[variant]
        wrapped[variant] = function (...args) {
          return v.apply(this, bound(args))
        }
      }
    }
    return wrapped
  }

  nodeTest.test = wrap(nodeTest.test)
  nodeTest.it = wrap(nodeTest.it)
  syncBuiltinESMExports()
}
