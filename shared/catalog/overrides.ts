import { z } from 'zod'

/**
 * Prices the user entered for models that have no public per-token price
 * (models billed by tier plans, dedicated capacity, or a negotiated rate).
 * They win over every published price and are always shown as the user's.
 */

const Price = z.number().min(0).max(10_000).nullable()

export const PricingOverride = z
  .object({
    /** USD per 1M input tokens; null keeps the published figure. */
    inputPer1M: Price,
    /** USD per 1M output tokens; null keeps the published figure. */
    outputPer1M: Price,
    note: z.string().max(200).optional(),
    /** ISO time the user last changed it. */
    updatedAt: z.string().max(40),
  })
  .strict()
export type PricingOverride = z.infer<typeof PricingOverride>

export const PricingOverrides = z.record(z.string().min(1).max(200), PricingOverride)
export type PricingOverrides = z.infer<typeof PricingOverrides>

/** Where the renderer keeps them (state:get / state:set). */
export const PRICING_OVERRIDES_KEY = 'models.pricing-overrides'

/**
 * Read stored overrides, dropping entries that no longer validate instead of
 * losing all of them to one bad entry. `dropped` lists the ids left out.
 */
export function parsePricingOverrides(raw: unknown): { overrides: PricingOverrides; dropped: string[] } {
  const overrides: PricingOverrides = {}
  const dropped: string[] = []
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { overrides, dropped }
  for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
    const parsed = PricingOverride.safeParse(value)
    if (parsed.success && id.length > 0 && id.length <= 200) overrides[id] = parsed.data
    else dropped.push(id)
  }
  return { overrides, dropped }
}
