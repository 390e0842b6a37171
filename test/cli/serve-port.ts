// Shared by the tests that start `jwk serve` as a child process (test/cli, test/e2e, test/interop).
/**
 * The port a starting `jwk serve` (or `npm start`) announces: its JSON log lines on `stdout` are
 * read until the admin API line, the last start-up line, has come after the one with the port.
 * Lines that are not JSON (npm's own) are passed over; each JSON line also goes to `onLine`.
 * Rejects with `what` and the child's stderr when `exited` settles first.
 */
export function servePort(
  stdout: NodeJS.ReadableStream, exited: Promise<unknown>, stderr: () => string, what: string,
  onLine: (line: Record<string, unknown>) => void = () => {},
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let buffer = ''
    let port: number | undefined
    stdout.on('data', (d: Buffer) => {
      buffer += d.toString()
      let i
      while ((i = buffer.indexOf('\n')) >= 0) {
        const text = buffer.slice(0, i)
        buffer = buffer.slice(i + 1)
        if (!text.startsWith('{')) continue
        const line = JSON.parse(text) as Record<string, unknown>
        onLine(line)
        if (typeof line.port === 'number') port = line.port
        if (/^admin API/.test(String(line.msg)) && port !== undefined) resolve(port)
      }
    })
    void exited.then((code) => reject(new Error(`${what} exited (${String(code)}): ${stderr()}`)))
  })
}
