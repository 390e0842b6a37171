// The portable suite on bun (see suite-runner.ts).
import { runtimeSuite } from './suite-runner.ts'

runtimeSuite('bun')
