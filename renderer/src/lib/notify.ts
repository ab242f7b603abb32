import { WaferError } from '@shared/ipc/errors'

import { type Notice, useAppStore } from './store'

/*
 * The app's one error reporter: what failed, said once as a toast, in the
 * same words everywhere ("Could not save the theme: <why>"). Errors shown
 * in place (a field, a card) use `describeError` for the why alone.
 */

/** The user-facing reason an operation failed: a WaferError's message as main wrote it, else the thrown message. */
export function describeError(err: unknown): string {
  if (err instanceof WaferError) return err.message
  return err instanceof Error ? err.message : String(err)
}

export interface ReportOptions {
  /** 'warning' for a failure that loses nothing (the work goes on); errors stay until dismissed. */
  level?: Extract<Notice['level'], 'error' | 'warning'>
  /** A sentence after the reason, e.g. what the user still has. */
  then?: string
}

/** The toast text for a failed `action` ("Could not export the run"): the action, the reason, then `then`. */
export function errorMessage(action: string, err: unknown, then?: string): string {
  const why = describeError(err).trim() || 'unknown error'
  if (!then) return `${action}: ${why}`
  return `${action}: ${/[.!?]$/.test(why) ? why : `${why}.`} ${then}`
}

/** Tell the user that `action` failed and why; one toast, never a crash. */
export function reportError(action: string, err: unknown, options: ReportOptions = {}): void {
  useAppStore.getState().notify(options.level ?? 'error', errorMessage(action, err, options.then))
}

/** An information message that goes away by itself (the shell closes info toasts after a few seconds). */
export function flash(message: string): void {
  useAppStore.getState().notify('info', message)
}

/** A warning the user must dismiss (nothing failed, but something needs their attention). */
export function warn(message: string): void {
  useAppStore.getState().notify('warning', message)
}
