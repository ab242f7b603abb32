import { sameSecret } from '@main/security/constant-time'
import { describe, expect, it } from 'vitest'

describe('sameSecret (constant-time comparison)', () => {
  it('accepts exactly the same string', () => {
    expect(sameSecret('s3cret-token', 's3cret-token')).toBe(true)
    expect(sameSecret('', '')).toBe(true)
    expect(sameSecret('clé ünïcödé 🔑', 'clé ünïcödé 🔑')).toBe(true)
  })

  it('refuses a different string of the same length', () => {
    expect(sameSecret('s3cret-token', 's3cret-tokem')).toBe(false)
    expect(sameSecret('a', 'b')).toBe(false)
  })

  it('refuses prefixes, extensions and strings of other lengths without throwing', () => {
    // timingSafeEqual alone throws on buffers of different lengths; the digests never differ in length.
    expect(sameSecret('s3cret', 's3cret-token')).toBe(false)
    expect(sameSecret('s3cret-token-and-more', 's3cret-token')).toBe(false)
    expect(sameSecret('', 's3cret-token')).toBe(false)
    expect(sameSecret('x'.repeat(100_000), 's3cret-token')).toBe(false)
  })

  it('compares the text, not its normalisation or case', () => {
    expect(sameSecret('Token', 'token')).toBe(false)
    // "é" precomposed and decomposed look the same but are different secrets.
    expect(sameSecret('\u00e9', 'e\u0301')).toBe(false)
  })
})
