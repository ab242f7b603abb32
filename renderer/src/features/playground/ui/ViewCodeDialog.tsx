import { newId } from '@renderer/lib/doc-defaults'
import { useAppStore } from '@renderer/lib/store'
import { copyText } from '@renderer/stream/markdown/clipboard'
import { CodeBlock } from '@renderer/stream/markdown/CodeBlock'
import { Icon } from '@renderer/ui/Icon'
import { TabPanel, ViewTabs } from '@renderer/ui/ViewTabs'
import { useMemo, useState } from 'react'

import { buildRequest } from '../build-request'
import { CODE_LANGUAGES, type CodeLanguage, encodingFor, generateCode, wireBody } from '../codegen'
import type { PaneState } from '../playground-store'
import { useRequestChecks } from '../request-checks'

const HIGHLIGHT: Record<CodeLanguage, string> = {
  curl: 'bash',
  'python-cerebras': 'python',
  'python-openai': 'python',
  'typescript-openai': 'typescript',
}

/** The exact request of a pane (with the unsent message), as code to run elsewhere. */
export function ViewCodeDialog({ pane, onClose }: { pane: PaneState; onClose: () => void }) {
  const settings = useAppStore((s) => s.settings)
  const [language, setLanguage] = useState<CodeLanguage>('curl')
  const [copied, setCopied] = useState(false)
  // Built again once the request's schemas are in, should the dialog open before they are (request-checks.ts).
  const checks = useRequestChecks()
  const built = useMemo(() => {
    const doc = pane.composer.trim()
      ? { ...pane.doc, messages: [...pane.doc.messages, { id: newId('draft'), role: 'user' as const, content: pane.composer }] }
      : pane.doc
    return buildRequest(doc)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- checks: buildRequest reads them from request-checks.ts
  }, [pane, checks])
  const opts = {
    baseUrl: settings?.effectiveBaseUrl ?? 'https://api.cerebras.ai/v1',
    compression: settings?.settings.compression ?? { msgpack: true, gzip: true },
  }
  const code = built.request ? generateCode(language, built.request, opts) : null
  const encoding = built.request ? encodingFor(wireBody(built.request), opts.compression) : null
  return (
    <>
      <ViewTabs
        label="Language"
        className="row pg-code-tabs"
        tabs={CODE_LANGUAGES.map((l) => [l.id, l.label] as const)}
        value={language}
        onChange={setLanguage}
        testIdPrefix="code-lang-"
        tabClassName={(_, selected) => `btn ${selected ? 'primary' : 'ghost'}`}
      />
      <TabPanel testIdPrefix="code-lang-" value={language}>
        {code ? (
          <>
            <p className="hint">
              Body sent as <strong>{encoding}</strong>
              {encoding === 'json' ? ' (bodies under 4 KB, or with compression off in Settings, go as plain JSON)' : ''}. The key is read from{' '}
              <code>CEREBRAS_API_KEY</code>.
            </p>
            <CodeBlock className="md pg-code-view" testId="view-code" code={code} lang={HIGHLIGHT[language]} />
            <div className="row" style={{ justifyContent: 'flex-end', marginTop: 12 }}>
              <button
                className="btn"
                onClick={() => {
                  void copyText(code).then(() => setCopied(true))
                }}
              >
                <Icon name="copy" size={14} /> {copied ? 'Copied' : 'Copy'}
              </button>
              <button className="btn primary" onClick={onClose}>
                Close
              </button>
            </div>
          </>
        ) : (
          <>
            <p>This request cannot be sent yet:</p>
            <ul>
              {built.issues
                .filter((i) => i.level === 'error')
                .map((i) => (
                  <li key={i.message}>{i.message}</li>
                ))}
            </ul>
            <div className="row" style={{ justifyContent: 'flex-end' }}>
              <button className="btn" onClick={onClose}>
                Close
              </button>
            </div>
          </>
        )}
      </TabPanel>
    </>
  )
}
