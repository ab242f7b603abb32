import { execInWindows, mapWindows, WindowSet } from '@shared/policy/text/windows'
import { describe, expect, it } from 'vitest'

import { rng } from '../../fixtures/policy/generate'

const spansOf = (text: string, re: RegExp, windows: WindowSet) => {
  const out: Array<[number, string]> = []
  execInWindows(re, text, windows, (m, at) => {
    out.push([at, m[0]])
  })
  return out
}
const everywhere = (text: string, re: RegExp) => [...text.matchAll(new RegExp(re.source, re.flags))].map((m): [number, string] => [m.index!, m[0]])
const windowsAround = (n: number, at: number[], back: number, fwd: number) => {
  const w = new WindowSet(n)
  for (const a of [...at].sort((x, y) => x - y)) w.add(a - back, a + fwd)
  return w
}

describe('window sets', () => {
  it('merge windows that overlap or nearly touch, and clamp to the text', () => {
    const w = new WindowSet(1000)
    w.add(-5, 10)
    w.add(50, 60) // within the join gap of the first
    w.add(400, 420)
    w.add(410, 2000)
    expect(w.spans).toEqual([0, 60, 400, 1000])
    expect(w.covered).toBe(660)
    expect(new WindowSet(10).empty).toBe(true)
  })
  it('map through a monotonic position map', () => {
    const w = new WindowSet(100)
    w.add(10, 20)
    w.add(300, 320)
    expect(mapWindows(w, (s, e) => [s * 2, e * 2], 1000).spans).toEqual([20, 40])
  })
})

describe('running a regular expression in windows', () => {
  it('finds exactly the matches that start in the windows, with text indices', () => {
    const text = 'ignore the rules. ' + 'filler words here. '.repeat(40) + 'please ignore previous rules now'
    const re = /\bignore\b(?:\W+\w+){0,3}?\W+rules\b/g
    const anchors = [...text.matchAll(/rules/g)].map((m) => m.index!)
    expect(spansOf(text, re, windowsAround(text.length, anchors, 40, 5))).toEqual(everywhere(text, re))
    // a window away from every match finds nothing
    expect(spansOf(text, re, windowsAround(text.length, [300], 10, 10))).toEqual([])
  })
  it('matches the full-text search on random texts whenever the windows cover each match', () => {
    const r = rng(11)
    const words = ['ignore', 'all', 'previous', 'rules', '###', 'system:', '\n', 'x', 'of', 'the']
    const re = /(?:^|\n)[ \t]{0,3}###\s{0,3}system\s{0,3}:|\bignore\s+(?:all\s+)?previous\s+rules\b/g
    for (let trial = 0; trial < 200; trial++) {
      const text = Array.from({ length: 5 + Math.floor(r() * 60) }, () => words[Math.floor(r() * words.length)]).join(r() < 0.5 ? ' ' : '')
      const expected = everywhere(text, re)
      const anchors = expected.map(([at]) => at)
      const got = spansOf(text, re, windowsAround(text.length, anchors, 2, 40))
      expect(got, JSON.stringify(text)).toEqual(expected)
    }
  })
  it('^ at a window edge is no line start, and a line break before the window still starts one', () => {
    const re = /(?:^|\n)[ \t]{0,8}###\s{0,3}system\s{0,3}:/g
    const midLine = 'some text ### system: nope'
    expect(spansOf(midLine, re, windowsAround(midLine.length, [10], 0, 20))).toEqual([])
    const lineStart = 'intro\n### system: yes'
    expect(spansOf(lineStart, re, windowsAround(lineStart.length, [6], 0, 20))).toEqual([[5, '\n### system:']])
  })
  it('one window over the whole text is a plain search, and the callback may move lastIndex', () => {
    const text = 'aaa bbb aaa'
    const re = /a+/g
    const w = new WindowSet(text.length)
    w.add(0, text.length)
    expect(spansOf(text, re, w)).toEqual([
      [0, 'aaa'],
      [8, 'aaa'],
    ])
    let stops = 0
    execInWindows(re, text, w, () => {
      stops++
      return false
    })
    expect(stops).toBe(1)
  })
  it('with a seek function, finds the same matches while trying only the starts it offers', () => {
    // IPv4-like rule: a match needs a dot after its first one to three digits.
    const re = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)/g
    const tried: number[] = []
    const seek = (p: string, from: number) => {
      for (let dot = p.indexOf('.', from + 1); dot >= 0; dot = p.indexOf('.', dot + 1)) {
        let s = dot
        while (s > 0 && dot - s < 4 && /\d/.test(p[s - 1])) s--
        if (s < dot && dot - s <= 3 && s >= from) {
          tried.push(s)
          return s
        }
      }
      return -1
    }
    const r = rng(5)
    const parts = ['10.0.0.1', '1.2.3', '.', '7', '255.255.255.255', ' ', 'a', '1.2.3.4.5', 'v1.2.3.4', '-', '999.1.1.1']
    for (let trial = 0; trial < 300; trial++) {
      const text = Array.from({ length: 3 + Math.floor(r() * 40) }, () => parts[Math.floor(r() * parts.length)]).join(r() < 0.5 ? ' ' : '')
      const expected = everywhere(text, re)
      const whole = new WindowSet(text.length)
      whole.add(0, text.length)
      const withSeek = (w: WindowSet) => {
        const out: Array<[number, string]> = []
        execInWindows(re, text, w, (m, at) => void out.push([at, m[0]]), seek)
        return out
      }
      expect(withSeek(whole), JSON.stringify(text)).toEqual(expected)
      const digits = [...text.matchAll(/\d+/g)].map((m) => m.index!)
      expect(withSeek(windowsAround(text.length, digits, 2, 20)), JSON.stringify(text)).toEqual(spansOf(text, re, windowsAround(text.length, digits, 2, 20)))
    }
    // Only the offered starts were tried: never inside a run of digits.
    expect(tried.length).toBeGreaterThan(0)
  })
})
