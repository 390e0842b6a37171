// The portable suite on chromium (see suite-runner.ts).
import { runtimeSuite } from './suite-runner.ts'

runtimeSuite('chromium')
