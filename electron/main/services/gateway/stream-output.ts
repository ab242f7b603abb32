import type { Finding } from '../../../../shared/policy/engine/types'
import type { OutputStream } from './policy-port'

/** The text channels of a streamed choice that output policies read. */
const CHANNELS = ['content', 'reasoning'] as const
type Channel = (typeof CHANNELS)[number]

export interface Blocked {
  policy: string
  message: string
}

/** One choice's channel, with its own redactor: n > 1 answers and reasoning are redacted apart. */
interface Lane {
  index: number
  channel: Channel
  redactor: OutputStream
  /** What the upstream sent on this lane, for the audit log's finding hashes. */
  original: string
  ended: boolean
}

/** An event whose text the redactors may still change. */
interface HeldEvent {
  raw: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  chunk: any
  edits: Array<{ lane: Lane; delta: Record<string, unknown>; original: string; text: string }>
}

/** What a call gives back: the SSE text to write, or that an output policy blocked the answer. */
export type StepResult = { out: string; blocked?: undefined } | { out: string; blocked: Blocked }

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Chunk = any

/**
 * The output policies over one streamed answer, event by event.
 *
 * Every choice (n > 1) and both of its text channels (content and
 * reasoning) get their own redactor, so no choice's text can slip past and
 * no text moves between choices. Each upstream event becomes exactly one
 * event out, carrying the text that is safe so far: the newest event is
 * held until the end of the network read so that what the redactors release
 * then goes out with it. Events without text pass through as they came.
 * Tool-call arguments are not scanned.
 */
export class StreamOutputPolicy {
  /** Lanes by choice index, then channel; and all of them in the order they opened. */
  private readonly byChoice: Array<Partial<Record<Channel, Lane>>> = []
  private readonly lanes: Lane[] = []
  private held: HeldEvent | null = null
  private stopped = false

  /** `create` makes a redactor for one lane; it may throw (the policy failed). */
  constructor(private readonly create: () => OutputStream) {}

  /** One upstream event's data (not [DONE]). */
  event(data: string, chunk: Chunk | null): StepResult {
    if (this.stopped) return { out: '' }
    let out = this.writeHeld()
    const choices: Chunk[] | undefined = Array.isArray(chunk?.choices) ? chunk.choices : undefined
    if (!choices?.length) return { out: out + sse(data) }
    const edits: HeldEvent['edits'] = []
    let finishing = false
    for (const choice of choices) {
      const index = typeof choice?.index === 'number' ? choice.index : 0
      const delta = choice?.delta && typeof choice.delta === 'object' ? choice.delta : null
      const finish = Boolean(choice?.finish_reason)
      finishing ||= finish
      for (const channel of CHANNELS) {
        const piece = typeof delta?.[channel] === 'string' ? (delta[channel] as string) : ''
        const existing = this.byChoice[index]?.[channel]
        if (!piece && !(finish && existing)) continue
        const lane = existing ?? this.lane(index, channel)
        let text = ''
        if (piece) {
          lane.original += piece
          const r = lane.redactor.push(piece)
          if (r.blocked) return this.block(r.blocked, out)
          text = r.text
        }
        if (finish && !lane.ended) {
          // The held-back tail belongs before the finish.
          const tail = this.endLane(lane)
          if (tail.blocked) return this.block(tail.blocked, out)
          text += tail.text
        }
        edits.push({ lane, delta: delta ?? (choice.delta = {}), original: piece, text })
      }
    }
    if (!edits.length) return { out: out + sse(data) }
    this.held = { raw: data, chunk, edits }
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
      if (tail.text) out += sse(JSON.stringify(tailChunk(lane.index, lane.channel, tail.text)))
    }
    return { out }
  }

  /** Each lane's findings with the text they index, for the audit log. */
  findings(): Array<{ location: string; text: string; findings: Finding[]; verdict: ReturnType<OutputStream['verdict']> }> {
    return this.lanes
      .filter((l) => l.redactor.findings().length)
      .map((l) => ({
        location: l.index === 0 && l.channel === 'content' ? 'output.content' : `output.choices[${l.index}].${l.channel}`,
        text: l.original,
        findings: l.redactor.findings(),
        verdict: l.redactor.verdict(),
      }))
  }

  /** The strongest verdict over every lane. */
  verdict(): ReturnType<OutputStream['verdict']> {
    const order = ['allow', 'log', 'redact', 'block'] as const
    let worst: (typeof order)[number] = 'allow'
    for (const l of this.lanes) if (order.indexOf(l.redactor.verdict()) > order.indexOf(worst)) worst = l.redactor.verdict()
    return worst
  }

  private lane(index: number, channel: Channel): Lane {
    const lane: Lane = { index, channel, redactor: this.create(), original: '', ended: false }
    ;(this.byChoice[index] ??= {})[channel] = lane
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
    if (h.edits.every((e) => e.text === e.original)) return sse(h.raw)
    for (const e of h.edits) e.delta[e.lane.channel] = e.text
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

function tailChunk(index: number, channel: Channel, text: string) {
  return { object: 'chat.completion.chunk', choices: [{ index, delta: { [channel]: text }, finish_reason: null }] }
}
