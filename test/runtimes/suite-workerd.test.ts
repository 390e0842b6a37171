// The portable suite on workerd (see suite-runner.ts).
import { runtimeSuite } from './suite-runner.ts'

runtimeSuite('workerd')
