import { createHash, timingSafeEqual } from 'node:crypto'

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest()

/**
 * Whether two secrets (tokens, keys) are equal, in time that depends on
 * neither their contents nor their lengths: both are hashed with SHA-256
 * first, and the two equal-length digests are compared with timingSafeEqual.
 * Every local server compares the credentials it is sent with this.
 */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected))
}
