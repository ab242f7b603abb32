import type { PairSummary } from '@shared/ipc/domains/compare'
import { create } from 'zustand'

import { api } from '../../api'
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
  return `${p.modelA} vs ${p.modelB}: ${p.winsA} win${p.winsA === 1 ? '' : 's'}, ${p.ties} tie${p.ties === 1 ? '' : 's'}, ${p.winsB} loss${p.winsB === 1 ? '' : 'es'} for ${p.modelA}${p.bothBad ? ` · ${p.bothBad} both bad` : ''} (${p.total} vote${p.total === 1 ? '' : 's'})`
}
