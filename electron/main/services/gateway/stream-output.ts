import { worseVerdict } from '@shared/policy/enforcement'
import type { Finding } from '@shared/policy/engine/types'

import type { OutputStream } from './policy-port'

export interface Blocked {
  policy: string
  message: string
}

/**
 * One stream of text within a streamed answer, with its own redactor: a
 * choice's content, its reasoning, or the arguments of one of its tool calls.
 */
interface Lane {
  index: number
  /** 'content', 'reasoning', or the tool call's index. */
  field: 'content' | 'reasoning' | number
  redactor: OutputStream
  /** What the upstream sent on this lane, for the audit log's finding hashes. */
  original: string
  ended: boolean
}

/**
 * A lane's text in one event: what came, what goes, and where to put it:
 * `holder[key]` (a delta's content or reasoning, a tool call's arguments),
 * or, with no key, a new field of the choice's delta (a held-back tail that
 * goes out with the finish).
 */
interface Edit {
  lane: Lane
  original: string
  text: string
  holder: Json
  key: string | null
}

/** An event whose text the redactors may still change. */
interface HeldEvent {
  /** The event as it came; null when it must be re-serialised anyway. */
  raw: string | null
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the upstream chunk as parsed, edited in place
  chunk: any
  edits: Edit[]
}

/** What a call gives back: the SSE text to write, and whether an output policy blocked the answer. */
export type StepResult = { out: string; blocked?: Blocked }

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- upstream JSON of any shape, walked field by field
type Json = any

/**
 * The output policies over one streamed answer, event by event.
 *
 * Every choice (n > 1), and within it the content, the reasoning and each
 * tool call's arguments, gets its own redactor: no text slips past, and none
 * moves between choices or fields. Each upstream event becomes exactly one
 * event out, carrying the text that is safe so far; the newest event is
 * held until the end of the network read so that what the redactors release
 * then goes out with it. Events without text pass through as they came.
 */
export class StreamOutputPolicy {
  /** Lanes by choice index, then field key; and all of them in the order they opened. */
  private readonly byChoice: Array<Map<string | number, Lane>> = []
  private readonly lanes: Lane[] = []
  private held: HeldEvent | null = null
  private stopped = false

  /** `create` makes a redactor for one lane; it may throw (the policy failed). */
  constructor(private readonly create: () => OutputStream) {}

  /** One upstream event's data (not [DONE]) and its parsed JSON (null when it is not JSON). */
  event(data: string, chunk: Json | null): StepResult {
    if (this.stopped) return { out: '' }
    let out = this.writeHeld()
    const choices: Json[] | undefined = Array.isArray(chunk?.choices) ? chunk.choices : undefined
    if (!choices?.length) return { out: out + sse(data) }
    const edits: Edit[] = []
    let finishing = false
    // Log probabilities spell out the raw tokens: they never go out past a redactor.
    let stripped = false
    for (const choice of choices) {
      if (!choice || typeof choice !== 'object') continue
      if (choice.logprobs != null) {
        choice.logprobs = null
        stripped = true
      }
      const index = typeof choice.index === 'number' ? choice.index : 0
      const delta: Json = choice.delta && typeof choice.delta === 'object' ? choice.delta : null
      if (delta) {
        // Content, then reasoning, then each tool call's arguments, in order.
        for (const field of TEXT_FIELDS) {
          const piece = delta[field]
          if (typeof piece !== 'string' || !piece) continue
          const blocked = this.feed(index, field, piece, delta, field, edits)
          if (blocked) return this.block(blocked, out)
        }
        if (Array.isArray(delta.tool_calls)) {
          for (const call of delta.tool_calls) {
            const fn = call?.function
            if (typeof fn?.arguments !== 'string' || !fn.arguments) continue
            const blocked = this.feed(index, typeof call.index === 'number' ? call.index : 0, fn.arguments, fn, 'arguments', edits)
            if (blocked) return this.block(blocked, out)
          }
        }
      }
      if (choice.finish_reason) {
        finishing = true
        // The held-back tails belong before the finish.
        for (const lane of this.byChoice[index]?.values() ?? []) {
          if (lane.ended) continue
          const tail = this.endLane(lane)
          if (tail.blocked) return this.block(tail.blocked, out)
          if (!tail.text) continue
          const edit = edits.find((e) => e.lane === lane)
          if (edit) edit.text += tail.text
          else edits.push({ lane, original: '', text: tail.text, holder: choice, key: null })
        }
      }
    }
    if (!edits.length) return { out: out + sse(stripped ? JSON.stringify(chunk) : data) }
    this.held = { raw: stripped ? null : data, chunk, edits }
    // A finishing event goes out at once: nothing of its choice can follow.
    if (finishing) out += this.writeHeld()
    return { out }
  }

  /** The end of a network read: what is safe now goes out with the held event. */
  endOfRead(): StepResult {
    if (this.stopped || !this.held) return { out: '' }
    for (const edit of this.held.edits) {
      if (edit.lane.ended) continue
      const r = edit.lane.redactor.release()
      if (r.blocked) return this.block(r.blocked, this.writeHeld())
      edit.text += r.text
    }
    return { out: this.writeHeld() }
  }

  /** [DONE] or the end of the stream: the held event, then each unfinished lane's tail as an event of its own. */
  end(): StepResult {
    if (this.stopped) return { out: '' }
    let out = this.writeHeld()
    for (const lane of this.lanes) {
      if (lane.ended) continue
      const tail = this.endLane(lane)
      if (tail.blocked) return this.block(tail.blocked, out)
      if (!tail.text) continue
      const delta = {}
      putField(delta, lane.field, tail.text)
      out += sse(JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: lane.index, delta, finish_reason: null }] }))
    }
    return { out }
  }

  /** Each lane's findings with the text they index, for the audit log. */
  findings(): Array<{ location: string; text: string; findings: Finding[]; verdict: ReturnType<OutputStream['verdict']> }> {
    return this.lanes
      .filter((l) => l.redactor.findings().length)
      .map((l) => ({ location: locationOf(l), text: l.original, findings: l.redactor.findings(), verdict: l.redactor.verdict() }))
  }

  /** The strongest verdict over every lane. */
  verdict(): ReturnType<OutputStream['verdict']> {
    let worst: ReturnType<OutputStream['verdict']> = 'allow'
    for (const l of this.lanes) worst = worseVerdict(worst, l.redactor.verdict())
    return worst
  }

  /** One piece of a lane's text into its redactor; returns the block when a policy blocked. */
  private feed(index: number, field: Lane['field'], piece: string, holder: Json, key: string, edits: Edit[]): Blocked | undefined {
    // Text after its choice finished (it should not come) gets a lane of its own rather than slip through.
    const open = this.byChoice[index]?.get(field)
    const lane = open && !open.ended ? open : this.lane(index, field)
    lane.original += piece
    const r = lane.redactor.push(piece)
    if (r.blocked) return r.blocked
    edits.push({ lane, original: piece, text: r.text, holder, key })
    return undefined
  }

  private lane(index: number, field: Lane['field']): Lane {
    const lane: Lane = { index, field, redactor: this.create(), original: '', ended: false }
    ;(this.byChoice[index] ??= new Map()).set(field, lane)
    this.lanes.push(lane)
    return lane
  }

  private endLane(lane: Lane): ReturnType<OutputStream['end']> {
    lane.ended = true
    return lane.redactor.end()
  }

  private writeHeld(): string {
    const h = this.held
    if (!h) return ''
    this.held = null
    if (h.raw !== null && unchanged(h.edits)) return sse(h.raw)
    for (const e of h.edits) {
      if (e.key !== null) e.holder[e.key] = e.text
      else putField((e.holder.delta ??= {}), e.lane.field, e.text)
    }
    return sse(JSON.stringify(h.chunk))
  }

  /** Stops the answer; `out` is what was already safe to send before the block. */
  private block(blocked: Blocked, out = ''): StepResult {
    this.held = null
    this.stopped = true
    return { out, blocked }
  }
}

const sse = (data: string) => `data: ${data}\n\n`

/** The text fields of a delta a lane reads, in the order they are fed. */
const TEXT_FIELDS = ['content', 'reasoning'] as const

function unchanged(edits: readonly Edit[]): boolean {
  for (const e of edits) if (e.text !== e.original) return false
  return true
}

/** Puts a lane's text into a delta: a text field, or a tool call's arguments (appended by index, as streams do). */
function putField(delta: Json, field: Lane['field'], text: string): void {
  if (typeof field === 'number') (delta.tool_calls ??= []).push({ index: field, function: { arguments: text } })
  else delta[field] = text
}

function locationOf(l: Lane): string {
  if (typeof l.field === 'number') return `output.choices[${l.index}].tool_calls[${l.field}].function.arguments`
  return l.index === 0 && l.field === 'content' ? 'output.content' : `output.choices[${l.index}].${l.field}`
}
