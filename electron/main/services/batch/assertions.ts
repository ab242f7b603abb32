import { Validator } from '@cfworker/json-schema'
import type { Assertion, AssertionResult, CellMetrics } from '@shared/ipc/domains/compare'
import { WaferError } from '@shared/ipc/errors'
import { type SafeRegex, tryCompileSafeRegex } from '@shared/policy/regex'

/**
 * Checks on a batch cell's output. Everything is compiled once per batch, so
 * a bad pattern or schema is refused before any request is made. Regexes run
 * on the linear-time engine: a user's pattern cannot hang main on a long answer.
 */

export interface CompiledAssertion {
  assertion: Assertion
  appliesTo(laneId: string): boolean
  check(output: string, metrics: CellMetrics | null): AssertionResult
}

const clip = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)

function parseJson(output: string): { ok: true; value: unknown } | { ok: false; message: string } {
  // Models often wrap JSON in a ```json fence; the answer is still the JSON inside.
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i.exec(output)
  const text = fenced ? fenced[1] : output
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) }
  }
}

export function compileAssertions(assertions: readonly Assertion[]): CompiledAssertion[] {
  const ids = new Set<string>()
  return assertions.map((a) => {
    if (ids.has(a.id)) throw new WaferError('bad_request', `Two assertions share the id ${a.id}.`)
    ids.add(a.id)
    const appliesTo = (laneId: string) => a.laneId === undefined || a.laneId === laneId
    const done = (pass: boolean, detail?: string): AssertionResult => ({ id: a.id, pass, ...(detail ? { detail } : {}) })
    switch (a.kind) {
      case 'contains': {
        const needle = a.caseSensitive ? a.text : a.text.toLowerCase()
        return {
          assertion: a,
          appliesTo,
          check: (output) =>
            (a.caseSensitive ? output : output.toLowerCase()).includes(needle) ? done(true) : done(false, `does not contain "${clip(a.text, 40)}"`),
        }
      }
      case 'regex': {
        const compiled = tryCompileSafeRegex(a.pattern, { ignoreCase: a.ignoreCase ?? false })
        if (!compiled.ok)
          throw new WaferError('bad_request', `Assertion ${a.id}: the pattern /${clip(a.pattern, 60)}/ cannot be used: ${compiled.error.message}`)
        const regex: SafeRegex = compiled.regex
        return { assertion: a, appliesTo, check: (output) => (regex.test(output) ? done(true) : done(false, `no match for /${clip(a.pattern, 40)}/`)) }
      }
      case 'json':
        return {
          assertion: a,
          appliesTo,
          check: (output) => {
            const parsed = parseJson(output)
            return parsed.ok ? done(true) : done(false, `not valid JSON: ${clip(parsed.message)}`)
          },
        }
      case 'json_schema': {
        let validator: Validator
        try {
          validator = new Validator(a.schema as ConstructorParameters<typeof Validator>[0], '2020-12', false)
        } catch (err) {
          throw new WaferError('bad_request', `Assertion ${a.id}: the JSON schema cannot be used: ${err instanceof Error ? err.message : String(err)}`)
        }
        return {
          assertion: a,
          appliesTo,
          check: (output) => {
            const parsed = parseJson(output)
            if (!parsed.ok) return done(false, `not valid JSON: ${clip(parsed.message)}`)
            let result: ReturnType<Validator['validate']>
            try {
              result = validator.validate(parsed.value)
            } catch (err) {
              return done(false, `the schema could not be checked: ${clip(err instanceof Error ? err.message : String(err))}`)
            }
            if (result.valid) return done(true)
            const first = result.errors.find((e) => e.keyword !== 'properties' && e.keyword !== 'items') ?? result.errors[0]
            return done(false, first ? `${first.instanceLocation}: ${clip(first.error)}` : 'does not match the schema')
          },
        }
      }
      case 'max_latency':
        return {
          assertion: a,
          appliesTo,
          check: (_output, metrics) => {
            const total = metrics?.totalMs ?? null
            if (total === null) return done(false, 'latency was not measured')
            return total <= a.ms ? done(true) : done(false, `took ${Math.round(total)} ms (limit ${a.ms} ms)`)
          },
        }
    }
  })
}

/** Every assertion that applies to this column, checked against one output. */
export function checkOutput(compiled: readonly CompiledAssertion[], laneId: string, output: string, metrics: CellMetrics | null): AssertionResult[] {
  return compiled.filter((c) => c.appliesTo(laneId)).map((c) => c.check(output, metrics))
}
