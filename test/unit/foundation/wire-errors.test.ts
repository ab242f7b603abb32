import { toWireError, WaferError } from '@shared/ipc/errors'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'

/* errors.ts recognises zod's failures without loading zod (the renderer's entry imports it). */

describe('toWireError', () => {
  it('turns a failed zod parse into bad_request naming the fields', () => {
    const r = z.object({ model: z.string(), n: z.number().int() }).safeParse({ n: 1.5 })
    expect(r.success).toBe(false)
    const wire = toWireError(r.error)
    expect(wire.code).toBe('bad_request')
    expect(wire.message).toMatch(/^model: .*; n: /)
  })

  it('keeps a WaferError as it is and reports anything else as internal', () => {
    expect(toWireError(new WaferError('auth', 'bad key', { hint: 'x' }))).toEqual({ code: 'auth', message: 'bad key', details: { hint: 'x' } })
    const lookalike = Object.assign(new Error('not zod'), { issues: [] })
    expect(toWireError(lookalike)).toEqual({ code: 'internal', message: 'not zod' })
    expect(toWireError('plain')).toEqual({ code: 'internal', message: 'plain' })
  })
})
