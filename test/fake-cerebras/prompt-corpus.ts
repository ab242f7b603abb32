import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * Realistic chat bodies of a given JSON size, for the bench and the fake
 * server's examples: a coding-assistant conversation whose user turns paste
 * real source files and READMEs from node_modules (what long prompts to
 * Cerebras mostly are), not repeated filler that would compress unrealistically.
 */

const root = fileURLToPath(new URL('../../node_modules/', import.meta.url))

const SOURCES = [
  'openai/src/client.ts',
  'msgpackr/README.md',
  'typescript/lib/lib.es5.d.ts',
  'openai/README.md',
  'zod/README.md',
  'yaml/README.md',
  'eventsource-parser/README.md',
  'openai/src/resources/chat/completions/completions.ts',
]

let corpus: string | undefined

/** Interleaved prose and code (~1.5 MB), the same on every run. */
export function loadCorpus(): string {
  if (corpus) return corpus
  const parts: string[] = []
  for (const rel of SOURCES) {
    const p = root + rel
    if (existsSync(p)) parts.push(`File: ${rel}\n\n${readFileSync(p, 'utf8')}`)
  }
  if (parts.length === 0) throw new Error(`No corpus files found under ${root}`)
  corpus = parts.join('\n\n---\n\n')
  return corpus
}

export interface ChatBody {
  model: string
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[]
  max_completion_tokens: number
  temperature: number
  stream: boolean
  stream_options?: { include_usage: boolean }
}

/** A chat body whose JSON is `bytes` long (±1%), split over a few turns. */
export function chatBodyOfSize(bytes: number, model = 'gpt-oss-120b'): ChatBody {
  const text = loadCorpus()
  const body: ChatBody = {
    model,
    messages: [{ role: 'system', content: 'You are a senior engineer. Answer precisely and cite the file you rely on.' }],
    max_completion_tokens: 1024,
    temperature: 0.2,
    stream: true,
    stream_options: { include_usage: true },
  }
  let budget = Math.max(0, bytes - JSON.stringify(body).length - 40)
  let offset = 0
  let turn = 0
  // Turns of ~64 KB: user pastes, assistant answers briefly, like a long session.
  while (budget > 0) {
    const size = Math.min(budget, 64 * 1024)
    let chunk = ''
    while (chunk.length < size) {
      const take = text.slice(offset, offset + (size - chunk.length))
      chunk += take
      offset = (offset + take.length) % text.length
    }
    body.messages.push({ role: 'user', content: chunk })
    budget -= JSON.stringify(chunk).length + 30
    if (budget > 200) {
      const reply = `Noted turn ${++turn}: the code above defines the request path; see the retry and header handling.`
      body.messages.push({ role: 'assistant', content: reply })
      budget -= reply.length + 40
    }
  }
  // Trim or pad the last user turn so the JSON lands on the requested size.
  const last = [...body.messages].reverse().find((m) => m.role === 'user')
  if (last) {
    const excess = Buffer.byteLength(JSON.stringify(body)) - bytes
    if (excess > 0) last.content = last.content.slice(0, Math.max(0, last.content.length - excess))
    else if (excess < 0) last.content += ' '.repeat(-excess)
  }
  return body
}
