import { HistoryStore } from '@main/services/history'
import type { OpenedDatabase } from '@main/storage/database'
import { compileChain, findTemplate, lintPolicyText, piiKindName, redactedSearchReason, redactedSearchTerms } from '@shared/policy'
import { afterEach, describe, expect, it } from 'vitest'

import { freshDatabase, runInput } from '../history/helpers'

/*
 * History's notice when a search is for personal data the active policy
 * redacts before runs are stored (shared/policy/search-notice.ts): the same
 * detector and markers as enforcement, and a suggested search that finds
 * the runs where one was redacted.
 */

const GATEWAY = findTemplate('cerebras-gateway')!.yaml

function chainOf(yaml: string) {
  const lint = lintPolicyText(yaml)
  expect(lint.findings.filter((f) => f.severity === 'error')).toEqual([])
  return compileChain(lint.config!)
}
const pii = (block: string, chain = '[pii-detector]', pack = '') =>
  chainOf(`pack: {name: t, version: 1.0.0${pack}}\npolicies:\n  chain: ${chain}\npolicy:\n  pii-detector:\n${block}`)

let opened: OpenedDatabase | undefined
afterEach(() => opened?.close())

describe('redactedSearchTerms', () => {
  it('names each kind of personal data in the search that the policy redacts, with the placeholder it writes', () => {
    const chain = chainOf(GATEWAY)
    expect(redactedSearchTerms(chain, 'jane.doe@example.com')).toEqual([{ entity: 'EMAIL_ADDRESS', placeholder: '[EMAIL_ADDRESS]', search: '[EMAIL_ADDRESS]' }])
    expect(redactedSearchTerms(chain, 'call +44 20 7946 0958 or jane@example.com or bob@example.org').map((t) => t.entity)).toEqual([
      'PHONE_NUMBER',
      'EMAIL_ADDRESS',
    ])
    expect(redactedSearchTerms(chain, 'otters herons')).toEqual([])
    expect(redactedSearchTerms(chain, '')).toEqual([])
  })

  it('says nothing when the policy does not remove it: no pii-detector, a disabled pack, or action block', () => {
    expect(redactedSearchTerms(chainOf('pack: {name: t, version: 1.0.0}\npolicies:\n  chain: [prompt-injection]\n'), 'jane@example.com')).toEqual([])
    expect(redactedSearchTerms(pii('    action: redact\n', '[pii-detector]', ', enabled: false'), 'jane@example.com')).toEqual([])
    expect(redactedSearchTerms(pii('    action: block\n'), 'jane@example.com')).toEqual([])
  })

  it('gives the placeholder as the redaction style writes it, and a search that matches every one', () => {
    const term = (block: string) => redactedSearchTerms(pii(block), 'jane.doe@example.com')[0]
    expect(term('    redaction: {include_metadata: true}\n')).toEqual({ entity: 'EMAIL_ADDRESS', placeholder: '[EMAIL_ADDRESS_1]', search: '[EMAIL_ADDRESS]' })
    expect(term('    redaction: {marker_format: asterisks}\n')).toEqual({ entity: 'EMAIL_ADDRESS', placeholder: '********', search: null })
    expect(term('    redaction: {marker_format: partial}\n')).toEqual({ entity: 'EMAIL_ADDRESS', placeholder: 'j***@example.com', search: 'j***@example.com' })
    expect(term('    redaction: {preserve_length: true}\n')).toEqual({
      entity: 'EMAIL_ADDRESS',
      placeholder: '[EMAIL_ADDRESS]*****',
      search: '[EMAIL_ADDRESS]',
    })
    expect(term('    redaction: {custom_markers: {EMAIL_ADDRESS: "<email>"}}\n')).toEqual({
      entity: 'EMAIL_ADDRESS',
      placeholder: '<email>',
      search: '<email>',
    })
  })

  it('covers the policy’s own detectors too', () => {
    const chain = pii('    detect_patterns:\n      - {name: EMPLOYEE_ID, pattern: "EMP-[0-9]{6}"}\n')
    const [t] = redactedSearchTerms(chain, 'EMP-123456')
    expect(t).toEqual({ entity: 'EMPLOYEE_ID', placeholder: '[EMPLOYEE_ID]', search: '[EMPLOYEE_ID]' })
    expect(redactedSearchReason(t, 'hr')).toBe(
      "EMPLOYEE_ID values are redacted before runs are stored (policy “hr” writes [EMPLOYEE_ID]), so they can't be found",
    )
  })

  it('words the reason for people', () => {
    expect(piiKindName('EMAIL_ADDRESS')).toBe('Emails')
    expect(piiKindName('IP_ADDRESS')).toBe('IP addresses')
    expect(redactedSearchReason({ entity: 'EMAIL_ADDRESS', placeholder: '[EMAIL_ADDRESS]', search: '[EMAIL_ADDRESS]' }, 'cerebras-gateway')).toBe(
      "Emails are redacted before runs are stored (policy “cerebras-gateway” writes [EMAIL_ADDRESS]), so they can't be found",
    )
  })
})

describe('the suggested search, in the History store', () => {
  it.each([
    ['label', ''],
    ['numbered', '    redaction: {include_metadata: true}\n'],
    ['partial', '    redaction: {marker_format: partial}\n'],
    ['padded', '    redaction: {preserve_length: true}\n'],
  ])('finds a run stored as the %s redactor wrote it, where the value itself finds nothing', (_style, block) => {
    const chain = pii(block)
    const typed = 'Please write to jane.doe@example.com about the otters'
    const sent = chain.run({ messages: [{ role: 'user', content: typed }] }).messages[0].content!
    expect(sent).not.toContain('jane.doe@example.com')
    opened = freshDatabase()
    const store = new HistoryStore(opened.db)
    store.saveRun(runInput({ id: 'redacted', user: sent, answer: 'Done.' }))
    store.saveRun(runInput({ id: 'other', user: 'Something about herons', answer: 'Done.' }))
    expect(store.listRuns({ text: 'jane.doe@example.com' }).runs).toEqual([])
    const [term] = redactedSearchTerms(chain, 'jane.doe@example.com')
    expect(store.listRuns({ text: term.search! }).runs.map((r) => r.id)).toEqual(['redacted'])
  })
})
