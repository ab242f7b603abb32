import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete'
import { yaml } from '@codemirror/lang-yaml'
import { bracketMatching, HighlightStyle, indentUnit, syntaxHighlighting } from '@codemirror/language'
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint'
import { Annotation, EditorSelection, EditorState } from '@codemirror/state'
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  hoverTooltip,
  keymap,
  lineNumbers,
} from '@codemirror/view'
import { tags } from '@lezer/highlight'
import type { LintResult } from '@shared/policy'
import { useEffect, useRef } from 'react'

import { codeMirrorKeys, SHORTCUTS } from '../../lib/shortcuts'
import { docStore, redo, setText, undo } from './doc-store'
import { hoverAt, suggestionsAt } from './yaml-assist'

/**
 * The YAML side of the Policies screen: CodeMirror 6 over the shared
 * document. Lint findings become diagnostics at their ranges (and gutter
 * marks), completion offers the schema's keys and values at the cursor,
 * hovering a key shows its docs. Undo/redo is the document's own history,
 * shared with the form.
 */

/** Marks changes that came from the store, so they are not sent back to it. */
const fromStore = Annotation.define<boolean>()

export function diagnosticsOf(lint: LintResult, length: number): Diagnostic[] {
  const clamp = (n: number) => Math.max(0, Math.min(length, n))
  return lint.findings.map((f) => ({
    from: clamp(f.from),
    to: clamp(Math.max(f.from, f.to)),
    severity: f.severity === 'error' ? 'error' : 'warning',
    message: `${f.code} ${f.message}`,
    source: `line ${f.line}:${f.column}`,
  }))
}

const highlight = HighlightStyle.define([
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: 'var(--yaml-key)' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--yaml-string)' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--yaml-atom)' },
  { tag: [tags.comment, tags.lineComment], color: 'var(--text-faint)', fontStyle: 'italic' },
  { tag: [tags.punctuation, tags.separator, tags.squareBracket, tags.brace], color: 'var(--text-muted)' },
  { tag: [tags.keyword, tags.labelName, tags.typeName, tags.meta], color: 'var(--yaml-meta)' },
])

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: 'var(--font-size-md)', backgroundColor: 'var(--bg-sunken)', color: 'var(--text)' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--accent)', padding: '8px 0' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--accent)' },
  '.cm-gutters': { backgroundColor: 'var(--bg-sunken)', color: 'var(--text-faint)', border: 'none' },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--bg-hover) 70%, transparent)' },
  '.cm-activeLineGutter': { backgroundColor: 'transparent', color: 'var(--text-muted)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: 'var(--accent-soft)' },
  '.cm-tooltip': {
    backgroundColor: 'var(--bg-raised)',
    color: 'var(--text)',
    border: '1px solid var(--border-strong)',
    borderRadius: '6px',
    boxShadow: 'var(--shadow)',
  },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--accent-soft)', color: 'var(--text)' },
  '.cm-completionDetail': { color: 'var(--text-faint)', marginLeft: '8px', fontStyle: 'normal' },
  '.cm-completionInfo': { maxWidth: '320px', padding: '6px 9px' },
  '.cm-diagnostic': { padding: '4px 8px' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--danger)' },
  '.cm-diagnostic-warning': { borderLeftColor: 'var(--warn)' },
  '.cm-lintRange-error': { backgroundImage: 'none', textDecoration: 'underline wavy var(--danger)', textUnderlineOffset: '3px' },
  '.cm-lintRange-warning': { backgroundImage: 'none', textDecoration: 'underline wavy var(--warn)', textUnderlineOffset: '3px' },
})

function completions(ctx: CompletionContext): CompletionResult | null {
  const text = ctx.state.doc.toString()
  const s = suggestionsAt(text, ctx.pos)
  if (!s) return null
  const line = ctx.state.doc.lineAt(ctx.pos)
  const before = line.text.slice(0, ctx.pos - line.from)
  // While typing, offer only where a word is under way or right after `key: ` / `- `.
  if (!ctx.explicit && s.from === ctx.pos && !/(:\s|-\s|\[|,\s?)$/.test(before)) return null
  return {
    from: s.from,
    options: s.options.map((o) => ({
      label: o.label,
      type: o.type === 'property' ? 'property' : o.type === 'kind' ? 'class' : 'enum',
      detail: o.detail,
      info: o.info,
      apply: o.apply,
    })),
    validFor: /^[\w.:-]*$/,
  }
}

const hover = hoverTooltip((view, pos) => {
  const doc = hoverAt(view.state.doc.toString(), pos)
  if (!doc) return null
  return {
    pos: doc.from,
    end: doc.to,
    above: true,
    create() {
      const dom = document.createElement('div')
      dom.className = 'pol-hover'
      const title = dom.appendChild(document.createElement('div'))
      title.className = 'pol-hover-title'
      title.textContent = doc.title
      if (doc.type) {
        const t = title.appendChild(document.createElement('span'))
        t.className = 'pol-hover-type'
        t.textContent = doc.type
      }
      if (doc.description) dom.appendChild(document.createElement('div')).textContent = doc.description
      if (doc.values?.length) {
        const v = dom.appendChild(document.createElement('div'))
        v.className = 'pol-hover-values'
        v.textContent = `One of: ${doc.values.join(', ')}`
      }
      return { dom }
    },
  }
})

/** Enter keeps the indentation, one level deeper after `key:` and inside `- key: …` items. */
function newlineKeepIndent(view: EditorView): boolean {
  const { state } = view
  const range = state.selection.main
  const line = state.doc.lineAt(range.from)
  const before = line.text.slice(0, range.from - line.from)
  let indent = /^\s*/.exec(line.text)![0]
  const item = /^(\s*)- (?=\S)/.exec(before)
  if (item && /:\s*\S|:\s*$/.test(before.slice(item[0].length))) indent = `${item[1]}  `
  if (/:\s*(#.*)?$/.test(before)) indent += '  '
  view.dispatch(state.update(state.replaceSelection(`\n${indent}`), { scrollIntoView: true, userEvent: 'input' }))
  return true
}

/** The editor's keyboard help, read out with it. */
const HELP_ID = 'yaml-editor-help'

export function YamlEditor({ onSave }: { onSave: () => void }) {
  const host = useRef<HTMLDivElement>(null)
  const saveRef = useRef(onSave)
  saveRef.current = onSave

  useEffect(() => {
    let escaped = false
    const state = EditorState.create({
      doc: docStore.getState().text,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        drawSelection(),
        highlightActiveLine(),
        bracketMatching(),
        indentUnit.of('  '),
        EditorState.tabSize.of(2),
        yaml(),
        syntaxHighlighting(highlight),
        lintGutter(),
        autocompletion({ override: [completions], icons: false }),
        hover,
        keymap.of([
          // The app's shortcut table (lib/shortcuts.ts) names the keys, so the shortcut sheet lists what these do.
          ...codeMirrorKeys('undo').map((key) => ({ key, run: () => (undo(), true), preventDefault: true })),
          ...codeMirrorKeys('redo').map((key) => ({ key, run: () => (redo(), true), preventDefault: true })),
          ...codeMirrorKeys('save').map((key) => ({ key, run: () => (saveRef.current(), true), preventDefault: true })),
          { key: 'Enter', run: newlineKeepIndent },
          {
            key: codeMirrorKeys('leaveEditor')[0],
            run: () => {
              escaped = true
              return false
            },
          },
          {
            // Tab indents; Esc then Tab leaves the editor (so the keyboard is never trapped).
            key: SHORTCUTS.leaveEditor.then.key,
            run: (view) => {
              if (escaped) return false
              view.dispatch(view.state.replaceSelection('  '))
              return true
            },
          },
        ]),
        EditorView.domEventHandlers({
          keydown: (e) => {
            if (e.key !== 'Escape' && e.key !== 'Tab') escaped = false
            return false
          },
        }),
        EditorView.lineWrapping,
        theme,
        // In the Tab order explicitly (a scroll region the keyboard reaches), and saying how to get out again.
        EditorView.contentAttributes.of({ 'aria-label': 'Policy YAML', 'data-testid': 'yaml-content', tabindex: '0', 'aria-describedby': HELP_ID }),
        EditorView.updateListener.of((u) => {
          if (!u.docChanged || u.transactions.some((t) => t.annotation(fromStore))) return
          const text = u.state.doc.toString()
          const head = u.startState.selection.main.head
          const line = u.state.doc.lineAt(u.state.selection.main.head).number
          // Applied after this update: the store's subscribers update the editor in turn.
          queueMicrotask(() => setText(text, 'editor', `editor:${line}`, head))
        }),
      ],
    })
    const view = new EditorView({ state, parent: host.current! })

    let synced = -1
    const sync = () => {
      const s = docStore.getState()
      if (s.revision === synced) return
      synced = s.revision
      const current = view.state.doc.toString()
      const spec: Parameters<typeof view.dispatch>[0] = { annotations: fromStore.of(true) }
      if (current !== s.text) {
        // The smallest change that turns one text into the other keeps the view (and the cursor) steady.
        let start = 0
        const max = Math.min(current.length, s.text.length)
        while (start < max && current.charCodeAt(start) === s.text.charCodeAt(start)) start++
        let endA = current.length
        let endB = s.text.length
        while (endA > start && endB > start && current.charCodeAt(endA - 1) === s.text.charCodeAt(endB - 1)) {
          endA--
          endB--
        }
        spec.changes = { from: start, to: endA, insert: s.text.slice(start, endB) }
      }
      if (s.cursor !== null) {
        spec.selection = EditorSelection.cursor(Math.min(s.cursor, s.text.length))
        spec.scrollIntoView = true
      }
      view.dispatch(spec)
      view.dispatch(setDiagnostics(view.state, diagnosticsOf(s.lint, view.state.doc.length)))
      if (s.cursor !== null && s.origin === 'history') view.focus()
    }
    sync()
    const unsubscribe = docStore.subscribe(() => queueMicrotask(sync))
    return () => {
      unsubscribe()
      view.destroy()
    }
  }, [])

  return (
    <>
      <div className="pol-editor" ref={host} data-testid="yaml-editor" />
      <span id={HELP_ID} className="sr-only">
        Tab indents. To leave the editor, press Escape, then Tab.
      </span>
    </>
  )
}
