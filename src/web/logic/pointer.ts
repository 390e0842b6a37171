/**
 * @module web/logic/pointer
 * Where a JSON pointer (RFC 6901) lands in the text it was taken from: the offsets of the member
 * (name and value) or array element, so the workbench can select it in the input. A small,
 * tolerant scanner over JSON text (RFC 8259); returns undefined when the pointer is not found.
 */

export interface TextRange {
  start: number
  end: number
}

/** Decodes the reference tokens of a pointer (`~1` → `/`, `~0` → `~`). */
export function pointerTokens(pointer: string): string[] | undefined {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) return undefined
  return pointer.slice(1).split('/').map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/** The range of `pointer` in `text` (the whole value for ''), or undefined. */
export function pointerRange(text: string, pointer: string): TextRange | undefined {
  const tokens = pointerTokens(pointer)
  if (tokens === undefined) return undefined
  let i = 0
  const ws = () => { while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++ }
  const string = (): string | undefined => {
    if (text[i] !== '"') return undefined
    const start = i
    i++
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1
    i++
    try {
      return JSON.parse(text.slice(start, i)) as string
    } catch {
      return undefined
    }
  }
  // Skips one value; returns false on malformed text.
  const skip = (): boolean => {
    ws()
    const c = text[i]
    if (c === '"') return string() !== undefined
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']'
      i++
      ws()
      if (text[i] === close) { i++; return true }
      for (;;) {
        if (c === '{') {
          ws()
          if (string() === undefined) return false
          ws()
          if (text[i] !== ':') return false
          i++
        }
        if (!skip()) return false
        ws()
        if (text[i] === ',') { i++; continue }
        if (text[i] === close) { i++; return true }
        return false
      }
    }
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400))
    if (m === null) return false
    i += m[0].length
    return true
  }
  ws()
  let memberStart = i
  for (const token of tokens) {
    ws()
    const c = text[i]
    if (c !== '{' && c !== '[') return undefined
    i++
    let found = false
    let index = 0
    for (;;) {
      ws()
      if (text[i] === '}' || text[i] === ']') return undefined
      const start = i
      if (c === '{') {
        const name = string()
        if (name === undefined) return undefined
        ws()
        if (text[i] !== ':') return undefined
        i++
        ws()
        if (name === token) { memberStart = start; found = true; break }
      } else if (String(index) === token) {
        memberStart = start
        found = true
        break
      }
      if (!skip()) return undefined
      index++
      ws()
      if (text[i] === ',') { i++; continue }
      return undefined
    }
    if (!found) return undefined
  }
  ws()
  const valueStart = i
  if (!skip()) return undefined
  return { start: tokens.length === 0 ? valueStart : memberStart, end: i }
}
