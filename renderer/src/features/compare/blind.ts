/** Blind mode: lanes shown in a random order under neutral letters. */

export const BLIND_LABELS = ['A', 'B', 'C', 'D'] as const

/** A uniformly random order (Fisher–Yates), from crypto randomness when there is some. */
export function shuffled<T>(items: readonly T[], random: () => number = cryptoRandom): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

function cryptoRandom(): number {
  if (typeof crypto !== 'undefined' && crypto.getRandomValues) {
    const buf = new Uint32Array(1)
    crypto.getRandomValues(buf)
    return buf[0] / 2 ** 32
  }
  return Math.random()
}
