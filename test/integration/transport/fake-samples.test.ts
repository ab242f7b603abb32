import { SAMPLES } from '@main/services/demo/fake-cerebras/reply'
import { FakeCerebras } from '@main/services/demo/fake-cerebras/server'
import { describe, expect, test } from 'vitest'

/*
 * The fake server's sample answers (`sample: latex`, `sample: list`): what
 * a renderer must show as sent, cut by max_completion_tokens with
 * finish_reason "length", and continued from where a cut answer stopped.
 */

const it = test.extend('fake', { scope: 'file' }, async ({}, { onCleanup }) => {
  const fake = new FakeCerebras({ ttftMs: 2, tokensPerSecond: 50_000 })
  await fake.start()
  onCleanup(() => fake.stop())
  return fake
})

interface Streamed {
  content: string
  finishReasons: (string | null)[]
  chunks: number
}

async function stream(fake: FakeCerebras, body: Record<string, unknown>): Promise<Streamed> {
  const res = await fetch(`${fake.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer csk-x', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-oss-120b', stream: true, ...body }),
  })
  expect(res.status).toBe(200)
  const out: Streamed = { content: '', finishReasons: [], chunks: 0 }
  for (const line of (await res.text()).split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue
    const chunk = JSON.parse(line.slice(6)) as { choices: { delta: { content?: string; reasoning?: string }; finish_reason: string | null }[] }
    out.chunks++
    for (const c of chunk.choices) {
      out.content += c.delta.content ?? ''
      out.finishReasons.push(c.finish_reason)
    }
  }
  return out
}

describe('sample answers', () => {
  it('streams the LaTeX sample exactly, backslashes and all, in small pieces', async ({ fake }) => {
    const r = await stream(fake, { messages: [{ role: 'user', content: 'sample: latex' }] })
    expect(r.content).toBe(SAMPLES.latex)
    expect(r.content).toContain('\\[\nx = \\frac{-b \\pm \\sqrt{b^2 - 4ac}}{2a}\n\\]')
    expect(r.chunks).toBeGreaterThan(SAMPLES.latex.length / 4)
    expect(r.finishReasons.at(-1)).toBe('stop')
  })

  it('streams the list with its single line breaks', async ({ fake }) => {
    const r = await stream(fake, { messages: [{ role: 'user', content: 'sample: list please' }] })
    expect(r.content).toBe(SAMPLES.list)
    expect(r.content.split('\n').length).toBe(5)
  })

  it('cuts a sample at max_completion_tokens with finish_reason "length", then continues it', async ({ fake }) => {
    const cut = await stream(fake, { messages: [{ role: 'user', content: 'sample: list' }], max_completion_tokens: 5 })
    expect(cut.content).toBe(SAMPLES.list.slice(0, 20))
    expect(cut.finishReasons.at(-1)).toBe('length')
    expect(cut.finishReasons.slice(0, -1).every((f) => f === null)).toBe(true)
    const rest = await stream(fake, {
      messages: [
        { role: 'user', content: 'sample: list' },
        { role: 'assistant', content: cut.content },
        { role: 'user', content: 'Continue exactly where you stopped.' },
      ],
    })
    expect(cut.content + rest.content).toBe(SAMPLES.list)
    expect(rest.finishReasons.at(-1)).toBe('stop')
  })

  it('answers an unknown sample name like any prompt', async ({ fake }) => {
    const r = await stream(fake, { messages: [{ role: 'user', content: 'sample: __proto__' }], max_completion_tokens: 30 })
    expect(r.content.length).toBeGreaterThan(0)
    expect(Object.values(SAMPLES)).not.toContain(r.content)
  })
})
