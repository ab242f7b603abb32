import { describeError, errorMessage, flash, reportError } from '@renderer/lib/notify'
import { useAppStore } from '@renderer/lib/store'
import { WaferError } from '@shared/ipc/errors'
import { beforeEach, describe, expect, it } from 'vitest'

/* The app's one error reporter: every failed action becomes one toast in the same words. */

const notices = () => useAppStore.getState().notices.map(({ level, message }) => ({ level, message }))

beforeEach(() => useAppStore.setState({ notices: [] }))

describe('reportError', () => {
  it('says what failed and why, as an error toast', () => {
    reportError('Could not export the run', new Error('disk full'))
    expect(notices()).toEqual([{ level: 'error', message: 'Could not export the run: disk full' }])
  })

  it('uses the message main wrote for a typed error, and copes with anything thrown', () => {
    reportError('Could not save the theme', new WaferError('internal', 'theme must be light or dark'))
    reportError('Could not load', 'plain string')
    reportError('Could not load', undefined)
    expect(notices().map((n) => n.message)).toEqual([
      'Could not save the theme: theme must be light or dark',
      'Could not load: plain string',
      'Could not load: undefined',
    ])
  })

  it('can be a warning, and ends the reason as a sentence before what the user still has', () => {
    reportError('Not saved', new Error('permission denied'), { then: 'Your text is still here.' })
    reportError('The playground draft was not saved', new Error('quota.'), { level: 'warning', then: 'Your runs are still in History.' })
    expect(notices()).toEqual([
      { level: 'error', message: 'Not saved: permission denied. Your text is still here.' },
      { level: 'warning', message: 'The playground draft was not saved: quota. Your runs are still in History.' },
    ])
  })

  it('never shows an empty reason', () => {
    expect(errorMessage('Could not delete the run', new Error(''))).toBe('Could not delete the run: unknown error')
  })

  it('keeps the last five notices; errors stay until dismissed', () => {
    for (let i = 0; i < 7; i++) reportError(`Attempt ${i}`, new Error('no'))
    expect(notices().map((n) => n.message)).toEqual([2, 3, 4, 5, 6].map((i) => `Attempt ${i}: no`))
  })
})

describe('describeError and flash', () => {
  it('describeError is the reason alone, for errors shown in place', () => {
    expect(describeError(new WaferError('not_found', 'No such run'))).toBe('No such run')
    expect(describeError(42)).toBe('42')
  })

  it('flash is an information toast', () => {
    flash('Saved.')
    expect(notices()).toEqual([{ level: 'info', message: 'Saved.' }])
    useAppStore.getState().dismiss(useAppStore.getState().notices[0].id)
  })
})
