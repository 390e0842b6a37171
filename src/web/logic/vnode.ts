/**
 * @module web/logic/vnode
 * The page's view description: plain objects (tag, attributes, children) that the views build
 * and that src/web/ui/dom.ts turns into DOM nodes. Text is always a text node (never parsed as
 * HTML), so nothing pasted can become markup. Pure, so views are tested in Node.
 */

/** An event listener; the browser passes the DOM Event. */
export type Listener = (event: unknown) => void
export type AttrValue = string | number | boolean | null | undefined | Listener

export interface VNode {
  readonly tag: string
  /** SVG elements are created in the SVG namespace. */
  readonly svg: boolean
  readonly attrs: Readonly<Record<string, AttrValue>>
  readonly children: ReadonlyArray<VNode | string>
}

export type Child = VNode | string | number | null | undefined | false | readonly Child[]

function flatten(children: readonly Child[], out: Array<VNode | string>): Array<VNode | string> {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue
    if (Array.isArray(c)) flatten(c as readonly Child[], out)
    else out.push(typeof c === 'number' ? String(c) : (c as VNode | string))
  }
  return out
}

/** An HTML element. Attributes named `on<event>` (e.g. `onclick`) are listeners. */
export function h(tag: string, attrs: Record<string, AttrValue> | null = null, ...children: Child[]): VNode {
  return { tag, svg: false, attrs: attrs ?? {}, children: flatten(children, []) }
}

/** An SVG element. */
export function s(tag: string, attrs: Record<string, AttrValue> | null = null, ...children: Child[]): VNode {
  return { tag, svg: true, attrs: attrs ?? {}, children: flatten(children, []) }
}

/** The text content of a tree (tests, accessible names). */
export function textOf(node: VNode | string): string {
  return typeof node === 'string' ? node : node.children.map(textOf).join('')
}

/** Every node of a tree that satisfies `test`, in document order. */
export function findAll(node: VNode | string, test: (n: VNode) => boolean): VNode[] {
  if (typeof node === 'string') return []
  const here = test(node) ? [node] : []
  return [...here, ...node.children.flatMap((c) => findAll(c, test))]
}
