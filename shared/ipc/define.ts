import { z } from 'zod'

/**
 * A channel of the IPC contract: a request the renderer sends and the result
 * main answers with. Both sides are zod schemas, so main can parse what it is
 * given and the renderer gets precise types.
 */
export interface ChannelSpec<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  args: A
  result: R
  /** One line for the docs and the CLI's --help. */
  summary: string
}

export function channel<A extends z.ZodType, R extends z.ZodType>(args: A, result: R, summary: string): ChannelSpec<A, R> {
  return { args, result, summary }
}

/** An event main pushes to the renderer (stream deltas, countdowns, state changes). */
export interface EventSpec<P extends z.ZodType = z.ZodType> {
  payload: P
  summary: string
}

export function event<P extends z.ZodType>(payload: P, summary: string): EventSpec<P> {
  return { payload, summary }
}

/** Channel names are `domain:verb`. */
export const CHANNEL_NAME = /^[a-z][a-z0-9-]*:[a-z][a-zA-Z0-9-]*$/
