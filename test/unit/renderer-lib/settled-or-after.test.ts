import { settledOrAfter } from '@renderer/app/settled-or-after'
import { describe, expect, it, vi } from 'vitest'

// The app's first render waits for its start-up reads this way: never longer than the limit, never failing.

describe('settledOrAfter', () => {
  it('resolves when the work settles either way, or after the wait when it never does', async () => {
    vi.useFakeTimers()
    try {
      const order: string[] = []
      void settledOrAfter(Promise.resolve(1), 1000).then(() => order.push('resolved'))
      void settledOrAfter(Promise.reject(new Error('x')), 1000).then(() => order.push('rejected'))
      void settledOrAfter(new Promise(() => undefined), 1000).then(() => order.push('never'))
      await vi.advanceTimersByTimeAsync(0)
      expect(order).toEqual(['resolved', 'rejected'])
      await vi.advanceTimersByTimeAsync(999)
      expect(order).toHaveLength(2)
      await vi.advanceTimersByTimeAsync(1)
      expect(order).toEqual(['resolved', 'rejected', 'never'])
    } finally {
      vi.useRealTimers()
    }
  })
})
