import { z } from 'zod'

/** Builds and checks a small schema of the shapes the app's schemas are made of, so zod's own code is compiled now. */
export function warmUpZod(): void {
  z.object({ a: z.string().min(1).max(8), b: z.number().int().min(0).nullable().optional(), c: z.array(z.enum(['x', 'y'])) })
    .strict()
    .safeParse({ a: 'x', b: 1, c: ['x'] })
  z.union([z.literal('a'), z.record(z.string(), z.boolean())]).safeParse({ a: true })
}
