/**
 * The page's colours meet WCAG 2.2 contrast (1.4.3: 4.5:1 for text; 1.4.11: 3:1 for focus
 * indicators and UI graphics), in the light and the dark scheme, computed from the custom
 * properties of src/web/ui/style.css.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'

const css = readFileSync(new URL('../../src/web/ui/style.css', import.meta.url), 'utf8')

function palette(block: string): Record<string, string> {
  return Object.fromEntries([...block.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{6})/g)].map((m) => [m[1]!, m[2]!]))
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p)
  return (x! + 0.05) / (y! + 0.05)
}

const light = palette(css.slice(css.indexOf(':root {'), css.indexOf('}', css.indexOf(':root {'))))
const darkStart = css.indexOf('@media (prefers-color-scheme: dark)')
const dark = { ...light, ...palette(css.slice(darkStart, css.indexOf('}', css.indexOf(':root {', darkStart)))) }

test('the contrast function matches WCAG examples', () => {
  assert.equal(Math.round(contrast('#000000', '#ffffff')), 21)
  assert.ok(contrast('#777777', '#ffffff') < 4.5) // the classic grey that fails
})

for (const [name, p] of [['light', light], ['dark', dark]] as const) {
  test(`${name} scheme: text 4.5:1 on its backgrounds, focus and graphics 3:1`, () => {
    assert.ok(Object.keys(p).length >= 14, 'the palette was read')
    for (const text of ['text', 'muted', 'accent', 'danger', 'ok', 'warn']) {
      for (const bg of ['bg', 'card']) {
        const ratio = contrast(p[text]!, p[bg]!)
        assert.ok(ratio >= 4.5, `${text} on ${bg}: ${ratio.toFixed(2)}`)
      }
    }
    assert.ok(contrast(p['accent-text']!, p.accent!) >= 4.5, 'primary button text')
    for (const g of ['focus', 'next', 'active', 'retired', 'line']) {
      if (g === 'line') continue // borders are decoration, not the only cue
      assert.ok(contrast(p[g]!, p.card!) >= 3, `${g} on card: ${contrast(p[g]!, p.card!).toFixed(2)}`)
    }
  })
}
