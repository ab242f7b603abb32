import type { PairSummary } from '@shared/ipc/domains/compare'
import { create } from 'zustand'

import { api } from '../../api'
import { fmtInt, plural } from '../../lib/format'
import { describeError } from '../../lib/notify'

/** Blind-vote totals per model pair, as main keeps them. */
interface VotesState {
  pairs: PairSummary[]
  total: number
  error: string | null
  loaded: boolean
}

export const useVotes = create<VotesState>()(() => ({ pairs: [], total: 0, error: null, loaded: false }))

export async function loadVotes(): Promise<void> {
  try {
    const { pairs, total } = await api.compareVotes({})
    useVotes.setState({ pairs, total, error: null, loaded: true })
  } catch (err) {
    useVotes.setState({ error: describeError(err), loaded: true })
  }
}

/** "fake-fast vs fake-slow: 3 wins, 1 tie, 0 losses for fake-fast". */
export function describePair(p: PairSummary): string {
  return `${p.modelA} vs ${p.modelB}: ${plural(p.winsA, 'win')}, ${plural(p.ties, 'tie')}, ${plural(p.winsB, 'loss', 'losses')} for ${p.modelA}${p.bothBad ? ` · ${fmtInt(p.bothBad)} both bad` : ''} (${plural(p.total, 'vote')})`
}
