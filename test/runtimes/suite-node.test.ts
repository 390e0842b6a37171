// The portable suite on node (see suite-runner.ts).
import { runtimeSuite } from './suite-runner.ts'

runtimeSuite('node')
