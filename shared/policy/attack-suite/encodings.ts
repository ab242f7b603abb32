/**
 * How the attack suite disguises a prompt, and how to undo each disguise (the
 * tests decode every generated item back to its plain text). Browser-safe:
 * base64 goes through TextEncoder and btoa/atob, which Node has too.
 */

export const ENCODINGS = ['plain', 'base64', 'leetspeak', 'homoglyphs', 'zero-width', 'split'] as const
export type AttackEncoding = (typeof ENCODINGS)[number]

import { type Rng, seededRng } from '../../stats/seeded-rng'

export { type Rng, seededRng }

export function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin)
}

export function fromBase64(b64: string): string {
  const bin = atob(b64)
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  return new TextDecoder().decode(bytes)
}

const LEET: Record<string, string> = { a: '4', e: '3', i: '1', o: '0', s: '5', t: '7' }
const UNLEET: Record<string, string> = Object.fromEntries(Object.entries(LEET).map(([k, v]) => [v, k]))

/** Lower-case a, e, i, o, s, t become digits; the text must hold no digits of its own to decode back exactly. */
export function toLeet(text: string): string {
  return text.replace(/[aeiost]/g, (c) => LEET[c])
}

export function fromLeet(text: string): string {
  return text.replace(/[431057]/g, (c) => UNLEET[c])
}

/** Latin letters and the Cyrillic or Greek letters that look the same. */
const HOMOGLYPHS: Record<string, string> = {
  a: '\u0430',
  c: '\u0441',
  e: '\u0435',
  o: '\u043e',
  p: '\u0440',
  x: '\u0445',
  y: '\u0443',
  i: '\u0456',
  A: '\u0391',
  B: '\u0392',
  E: '\u0395',
  O: '\u039f',
  P: '\u03a1',
  T: '\u03a4',
}
const UNHOMOGLYPH: Record<string, string> = Object.fromEntries(Object.entries(HOMOGLYPHS).map(([k, v]) => [v, k]))

/** Swaps about half the letters that have a look-alike (which ones depends on the seed). */
export function toHomoglyphs(text: string, rng: Rng): string {
  let out = ''
  for (const ch of text) out += HOMOGLYPHS[ch] && rng() < 0.5 ? HOMOGLYPHS[ch] : ch
  return out
}

export function fromHomoglyphs(text: string): string {
  let out = ''
  for (const ch of text) out += UNHOMOGLYPH[ch] ?? ch
  return out
}

const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff']
// An alternation, not a class: a class holding U+200D reads as a joined sequence to the linter.
const ZERO_WIDTH_RE = /\u200b|\u200c|\u200d|\u2060|\ufeff/g

/** A zero-width character inside most words (after a letter, at a seeded place). */
export function toZeroWidth(text: string, rng: Rng): string {
  return text.replace(/\p{L}{3,}/gu, (word) => {
    const at = 1 + Math.floor(rng() * (word.length - 1))
    return word.slice(0, at) + ZERO_WIDTH[Math.floor(rng() * ZERO_WIDTH.length)] + word.slice(at)
  })
}

export function fromZeroWidth(text: string): string {
  return text.replace(ZERO_WIDTH_RE, '')
}

/** The text cut at word boundaries into 2–3 consecutive user messages. */
export function splitText(text: string, rng: Rng): string[] {
  const spaces: number[] = []
  for (let i = 0; i < text.length; i++) if (text[i] === ' ') spaces.push(i)
  if (spaces.length < 2) return [text]
  const parts = spaces.length >= 6 && rng() < 0.5 ? 3 : 2
  const cuts = new Set<number>()
  for (let p = 1; p < parts; p++) {
    const base = Math.floor((spaces.length * p) / parts)
    const jitter = Math.floor(rng() * 3) - 1
    cuts.add(spaces[Math.min(spaces.length - 1, Math.max(0, base + jitter))])
  }
  const sorted = [...cuts].sort((a, b) => a - b)
  const out: string[] = []
  let from = 0
  for (const c of sorted) {
    out.push(text.slice(from, c + 1))
    from = c + 1
  }
  out.push(text.slice(from))
  return out
}

/** Split messages joined back (they were cut, not trimmed). */
export function joinSplit(parts: readonly string[]): string {
  return parts.join('')
}
