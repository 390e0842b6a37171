// The portable suite on deno (see suite-runner.ts).
import { runtimeSuite } from './suite-runner.ts'

runtimeSuite('deno')
