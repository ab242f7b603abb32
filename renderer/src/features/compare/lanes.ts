import type { ChatMessage, ChatRequest } from '@shared/ipc/domains/chat'
import type { LaneParams } from '@shared/ipc/domains/compare'
import { z } from 'zod'

/**
 * A compare lane: one model with its own parameters. The lanes, the shared
 * system prompt, the layout and the run options are one document kept in
 * main (state key `compare.setup`), so the selection survives restarts.
 */

export const MIN_LANES = 2
export const MAX_LANES = 4
export const MAX_REPEAT = 20

/** One colour per lane position, used by the lane header, the race chart and the batch columns. */
export const LANE_COLORS = ['#f26b1d', '#3e8ef7', '#2fb67c', '#b07cf0']

export const LaneSettings = z.object({
  temperature: z.number().min(0).max(2).nullable().default(null),
  topP: z.number().min(0).max(1).nullable().default(null),
  maxCompletionTokens: z.int().min(1).max(1_000_000).nullable().default(null),
  seed: z.int().nullable().default(null),
  reasoningEffort: z.enum(['low', 'medium', 'high']).nullable().default(null),
})
export type LaneSettings = z.infer<typeof LaneSettings>

export const LaneConfig = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  model: z.string().max(200),
  params: LaneSettings.default(LaneSettings.parse({})),
})
export type LaneConfig = z.infer<typeof LaneConfig>

export const CompareSetup = z.object({
  lanes: z.array(LaneConfig).min(MIN_LANES).max(MAX_LANES),
  system: z.string().max(200_000).default(''),
  layout: z.enum(['columns', 'rows']).default('columns'),
  repeat: z.int().min(1).max(MAX_REPEAT).default(1),
  blind: z.boolean().default(false),
  view: z.enum(['race', 'batch', 'votes']).default('race'),
})
export type CompareSetup = z.infer<typeof CompareSetup>

export const SETUP_KEY = 'compare.setup'

let laneCounter = 0
export function newLaneId(): string {
  laneCounter = (laneCounter + 1) % 1000
  return `l${Date.now().toString(36).slice(-5)}${laneCounter}`
}

export function newLane(model: string): LaneConfig {
  return { id: newLaneId(), model, params: LaneSettings.parse({}) }
}

export function defaultSetup(models: readonly string[]): CompareSetup {
  const picks = [...models.slice(0, 2)]
  while (picks.length < 2) picks.push(picks[0] ?? 'gpt-oss-120b')
  return CompareSetup.parse({ lanes: picks.map(newLane) })
}

/** A stored setup, or null (with why) when it no longer validates. */
export function readSetup(raw: unknown): { setup: CompareSetup | null; problem: string | null } {
  if (raw === null || raw === undefined) return { setup: null, problem: null }
  const parsed = CompareSetup.safeParse(raw)
  if (parsed.success) return { setup: parsed.data, problem: null }
  return {
    setup: null,
    problem: parsed.error.issues
      .slice(0, 2)
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; '),
  }
}

/** The lane's parameters in the API's names, leaving out what the user did not set. */
export function apiParams(p: LaneSettings): LaneParams {
  const out: LaneParams = {}
  if (p.temperature !== null) out.temperature = p.temperature
  if (p.topP !== null) out.top_p = p.topP
  if (p.maxCompletionTokens !== null) out.max_completion_tokens = p.maxCompletionTokens
  if (p.seed !== null) out.seed = p.seed
  if (p.reasoningEffort !== null) out.reasoning_effort = p.reasoningEffort
  return out
}

/** One lane's request for a turn: the shared system prompt, its own history, the new input. */
export function laneRequest(lane: LaneConfig, system: string, history: readonly ChatMessage[], input: string): ChatRequest {
  const messages: ChatMessage[] = []
  if (system.trim()) messages.push({ role: 'system', content: system })
  messages.push(...history, { role: 'user', content: input })
  return { model: lane.model.trim(), messages, ...apiParams(lane.params) }
}
