import { CEREBRAS_KEY_PATTERN, keyFormatWarning } from '@shared/ipc/key-format'
import { describe, expect, it } from 'vitest'

const GOOD = 'csk-' + 'a1b2c3d4e5'.repeat(5)

describe('keyFormatWarning', () => {
  it('accepts csk- followed by a long run of letters and digits', () => {
    expect(CEREBRAS_KEY_PATTERN.test(GOOD)).toBe(true)
    expect(keyFormatWarning(GOOD)).toBeNull()
    expect(keyFormatWarning(`  ${GOOD}\n`)).toBeNull()
    expect(keyFormatWarning(GOOD.toUpperCase().replace('CSK-', 'csk-'))).toBeNull()
  })

  it('says nothing about an empty field', () => {
    expect(keyFormatWarning('   ')).toBeNull()
  })

  it('names the likely mistake: Bearer, quotes, text around it, cut off, odd characters', () => {
    expect(keyFormatWarning(`Bearer ${GOOD}`)).toMatch(/Bearer/)
    expect(keyFormatWarning(`"${GOOD}"`)).toMatch(/quotes/)
    expect(keyFormatWarning(`key: ${GOOD}`)).toMatch(/spaces or line breaks/)
    expect(keyFormatWarning('csk-abc123')).toMatch(/shorter than a Cerebras key.*has 6/)
    expect(keyFormatWarning(`csk-${'a'.repeat(40)}_x`)).toMatch(/letters and digits only; this one has “_”/)
  })

  it("recognises other providers' keys", () => {
    expect(keyFormatWarning('sk-proj-' + 'x'.repeat(40))).toMatch(/OpenAI key/)
    expect(keyFormatWarning('sk-ant-api03-' + 'x'.repeat(40))).toMatch(/Anthropic key/)
    expect(keyFormatWarning('gsk_' + 'x'.repeat(40))).toMatch(/Groq key/)
  })

  it('warns about anything else, saying what a Cerebras key looks like', () => {
    expect(keyFormatWarning('0123456789abcdef0123')).toMatch(/start with csk-/)
  })
})
