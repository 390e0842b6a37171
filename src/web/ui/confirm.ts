/**
 * @module web/ui/confirm
 * A modal confirmation (the HTML `<dialog>` element: focus moves into it, Escape cancels, focus
 * returns to the button that opened it).
 */
import type { Consequence } from '../logic/consequences.ts'
import { h } from '../logic/vnode.ts'
import { mount } from './dom.ts'

export function confirmAction(dialog: HTMLDialogElement, consequence: Consequence, confirmLabel: string): Promise<boolean> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
  return new Promise((resolve) => {
    let answered = false
    const done = (ok: boolean) => {
      if (answered) return
      answered = true
      dialog.close()
      opener?.focus()
      resolve(ok)
    }
    mount(dialog, h('form', { method: 'dialog', class: consequence.warning ? 'warning' : '' },
      h('h2', { id: 'confirm-title' }, consequence.title),
      consequence.lines.map((line) => h('p', null, line)),
      h('div', { class: 'buttons' },
        h('button', { type: 'button', 'data-confirm': 'cancel', onclick: () => done(false) }, 'Cancel'),
        h('button', { type: 'button', 'data-confirm': 'ok', class: consequence.warning ? 'danger' : 'primary', onclick: () => done(true) }, confirmLabel),
      ),
    ))
    dialog.setAttribute('aria-labelledby', 'confirm-title')
    dialog.addEventListener('cancel', () => done(false), { once: true })
    dialog.showModal()
    dialog.querySelector<HTMLButtonElement>('[data-confirm="cancel"]')?.focus()
  })
}
