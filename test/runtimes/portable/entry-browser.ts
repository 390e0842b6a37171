// Chromium: the page at BASE/index.html?mode=… runs this and leaves the result on window.
import { main, type Mode } from './main.ts'
const mode = new URL((globalThis as unknown as { location: { href: string } }).location.href).searchParams.get('mode') as Mode
;(globalThis as unknown as { __jwkitResult: Promise<unknown> }).__jwkitResult = main('chromium', (globalThis as unknown as { location: { origin: string } }).location.origin, mode)
