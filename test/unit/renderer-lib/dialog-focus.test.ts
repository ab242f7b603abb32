import { wrapFocus } from '@renderer/ui/dialog-focus'
import { describe, expect, it } from 'vitest'

/* The one Dialog keeps Tab inside itself: these are the steps it takes. */

describe('wrapFocus', () => {
  it('wraps Tab from the last control to the first, and Shift+Tab from the first to the last', () => {
    expect(wrapFocus(3, 2, false)).toBe(0)
    expect(wrapFocus(3, 0, true)).toBe(2)
  })

  it('leaves a step between two controls inside to the browser', () => {
    expect(wrapFocus(3, 0, false)).toBeNull()
    expect(wrapFocus(3, 1, false)).toBeNull()
    expect(wrapFocus(3, 2, true)).toBeNull()
  })

  it('brings a focus that is on none of the controls (on the dialog itself) to the first or the last', () => {
    expect(wrapFocus(3, -1, false)).toBe(0)
    expect(wrapFocus(3, -1, true)).toBe(2)
  })

  it('keeps a single control focused, and has nowhere to go without any', () => {
    expect(wrapFocus(1, 0, false)).toBe(0)
    expect(wrapFocus(1, 0, true)).toBe(0)
    expect(wrapFocus(0, -1, false)).toBeNull()
  })
})
