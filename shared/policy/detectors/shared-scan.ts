/**
 * One token pass per message for all detectors of one chain run. The
 * injection detector's pass also finds the PII detector's cues (where its
 * patterns can match) and the encoded-run candidates; the chain hands the
 * same SharedScans to both detectors so the second reuses them. It lives
 * for one run: nothing is kept between requests.
 */
import { tokenize, type TokenScan } from './injection/tokens'
import type { PiiCues } from './pii-cues'

export class SharedScans {
  private readonly scans: Array<{ text: string; foldLeet: boolean; scan: TokenScan }> = []
  private readonly cues: Array<{ text: string; cues: PiiCues }> = []

  /** The token scan of an ASCII `text` read in its original case, with PII cues and encoded runs, computed once. */
  asciiScan(text: string, foldLeet: boolean): TokenScan {
    for (const e of this.scans) if (e.foldLeet === foldLeet && e.text === text) return e.scan
    const scan = tokenize(text, foldLeet, true)
    this.scans.push({ text, foldLeet, scan })
    if (scan.pii) this.cues.push({ text, cues: scan.pii })
    return scan
  }

  /** Keeps PII cues found for `text` (in its own indices). */
  keepCues(text: string, cues: PiiCues): void {
    this.cues.push({ text, cues })
  }

  /** PII cues of `text` found earlier in this run. */
  piiCues(text: string): PiiCues | undefined {
    for (const e of this.cues) if (e.text === text) return e.cues
    return undefined
  }
}
