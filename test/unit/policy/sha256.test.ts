import { createHash } from 'node:crypto'

import { sha256Hex } from '@shared/policy/engine/sha256'
import { describe, expect, it } from 'vitest'

describe('sha256Hex (used for the audit hash chain in browser-safe code)', () => {
  it('matches node:crypto on empty, ASCII, Unicode and block-boundary inputs', () => {
    for (const s of ['', 'abc', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'x'.repeat(1000), 'héllo wörld 🚀 日本語']) {
      expect(sha256Hex(s), JSON.stringify(s.slice(0, 20))).toBe(createHash('sha256').update(s, 'utf8').digest('hex'))
    }
  })
})
