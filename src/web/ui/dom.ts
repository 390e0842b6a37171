/**
 * @module web/ui/dom
 * Turns the views' VNodes (src/web/logic/vnode.ts) into DOM nodes. Text becomes text nodes and
 * attributes are set one by one: nothing is ever parsed as HTML (no innerHTML), so pasted input
 * cannot become markup or script.
 */
import type { VNode } from '../logic/vnode.ts'

const SVG_NS = 'http://www.w3.org/2000/svg'

export function toDom(node: VNode | string): Node {
  if (typeof node === 'string') return document.createTextNode(node)
  const el = node.svg ? document.createElementNS(SVG_NS, node.tag) : document.createElement(node.tag)
  for (const [name, value] of Object.entries(node.attrs)) {
    if (value === undefined || value === null || value === false) continue
    if (typeof value === 'function') {
      if (name.startsWith('on')) el.addEventListener(name.slice(2), value as EventListener)
      continue
    }
    if (name === 'value' && (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement)) {
      el.value = String(value)
      continue
    }
    el.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of node.children) el.appendChild(toDom(child))
  return el
}

/** Replaces the children of `target` with the tree. */
export function mount(target: Element, node: VNode | string | ReadonlyArray<VNode | string>): void {
  const list = Array.isArray(node) ? node : [node]
  target.replaceChildren(...list.map(toDom))
}

/** The element with this id, or an error naming it (the HTML and the script are built together). */
export function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id)
  if (el === null) throw new Error(`the page has no #${id}`)
  return el as T
}
