import type { WaferError } from '@shared/ipc/errors'

import { abortedError } from './api-errors'
import { type Failure, failureError } from './chat-errors'
import type { ChatCall, ChatRunDeps, CompletionSink } from './chat-run'
import { isTransientStatus, quotaKind, retryDelay, serverWaitMs } from './retry-policy'

interface RetryPlan {
  retry: boolean
  waitMs: number
  reason: 'rate_limited' | 'server_error' | 'network'
  attempt: number
  /** What the server asked for, when it said. */
  serverWaitMs?: number
}

/**
 * One request's retries, the same for streams and whole answers: 429s up
 * to the caller's (or the policy's) limit, never sooner than the server
 * asks; 5xx and connection failures as the policy says; and while waiting,
 * a countdown to the caller about once a second.
 */
export class RequestRetries {
  private rateLimited = 0
  private serverFailed = 0
  /** Time spent waiting between attempts. */
  waitedMs = 0
  private readonly maxRateLimitRetries: number

  constructor(
    private readonly deps: Pick<ChatRunDeps, 'clock' | 'retryPolicy' | 'models' | 'modelHintTimeoutMs'>,
    private readonly call: Pick<ChatCall, 'requestId' | 'args' | 'connection' | 'controller'>,
    private readonly sink: CompletionSink,
  ) {
    this.maxRateLimitRetries = call.args.retry?.maxRateLimitRetries ?? deps.retryPolicy.maxRateLimitRetries
  }

  /**
   * After a failed attempt: true once the wait before the next attempt is
   * over; else the error the request ends with (aborted, when it was aborted
   * while waiting). With `mayRetry` false (the caller already has part of
   * this attempt's answer) it goes straight to the error. `beforeWait` runs
   * when a retry is coming.
   */
  async next(failure: Failure, mayRetry = true, beforeWait?: () => void): Promise<true | WaferError> {
    const plan = mayRetry ? this.plan(failure) : null
    if (plan?.retry) {
      beforeWait?.()
      return (await this.wait(plan)) ? true : abortedError()
    }
    return failureError(this.deps, failure, this.call.args.request.model, this.call.connection, plan?.serverWaitMs)
  }

  private plan(failure: Failure): RetryPlan {
    const { clock, retryPolicy: policy } = this.deps
    const random = () => clock.random()
    const no: RetryPlan = { retry: false, waitMs: 0, reason: 'server_error', attempt: 0 }
    const rateLimited = (hint: number | undefined): RetryPlan => {
      if (this.rateLimited >= this.maxRateLimitRetries) return { ...no, serverWaitMs: hint }
      const d = retryDelay(this.rateLimited + 1, hint, policy, random)
      if (!d.retry) return { ...no, serverWaitMs: d.serverWaitMs }
      this.rateLimited++
      return { retry: true, waitMs: d.waitMs, reason: 'rate_limited', attempt: this.rateLimited, serverWaitMs: hint }
    }
    const transient = (reason: 'server_error' | 'network', hint?: number): RetryPlan => {
      if (this.serverFailed >= policy.maxServerRetries) return no
      const d = retryDelay(this.serverFailed + 1, hint, policy, random)
      if (!d.retry) return no
      this.serverFailed++
      return { retry: true, waitMs: d.waitMs, reason, attempt: this.serverFailed }
    }
    switch (failure.kind) {
      case 'http': {
        const hint = serverWaitMs(failure.headers, quotaKind(failure.body?.code, failure.body?.type), clock.wallNow())
        if (failure.status === 429) return rateLimited(hint)
        if (isTransientStatus(failure.status)) return transient('server_error', hint)
        return no
      }
      case 'network':
      case 'stream-network':
      case 'incomplete':
        return transient('network')
      case 'stream-error': {
        const status = failure.body.statusCode ?? 500
        if (status === 429) return rateLimited(undefined)
        return isTransientStatus(status) ? transient('server_error') : no
      }
      default:
        return no
    }
  }

  /** Wait before a retry, telling the caller about once a second. False if aborted meanwhile. */
  private async wait(plan: RetryPlan): Promise<boolean> {
    const { clock } = this.deps
    const { requestId, controller } = this.call
    const signal = controller.signal
    const retryAt = clock.wallNow() + plan.waitMs
    const maxRetries = plan.reason === 'rate_limited' ? this.maxRateLimitRetries : this.deps.retryPolicy.maxServerRetries
    const why = plan.reason === 'rate_limited' ? 'Rate limited by Cerebras' : plan.reason === 'network' ? 'Connection failed' : 'Cerebras server error'
    let remaining = plan.waitMs
    const tell = () =>
      this.sink.retry({
        requestId,
        reason: plan.reason,
        attempt: plan.attempt,
        maxRetries,
        waitMs: plan.waitMs,
        remainingMs: remaining,
        retryAt,
        message: `${why}; retry ${plan.attempt} of ${maxRetries} in ${Math.ceil(remaining / 1000)} s`,
      })
    tell()
    try {
      while (remaining > 0) {
        // Tick on whole seconds of what is left, so a countdown reads 3, 2, 1.
        const step = remaining % 1000 || Math.min(1000, remaining)
        await clock.sleep(step, signal)
        remaining -= step
        this.waitedMs += step
        if (remaining > 0) tell()
      }
    } catch {
      return false
    }
    return !signal.aborted
  }
}
