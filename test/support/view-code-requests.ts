import type { ChatRequest } from '@shared/ipc/domains/chat'

/** A small request whose text needs quoting in every language View code writes. */
export const smallRequest: ChatRequest = {
  model: 'gpt-oss-120b',
  messages: [
    { role: 'system', content: 'Quote \'single\' and "double" and $HOME literally.' },
    { role: 'user', content: 'Hi\nJSON\nthere' },
  ],
  max_completion_tokens: 64,
  temperature: 0.2,
  reasoning_format: 'parsed',
}

/** The same, long enough (over 4 KB) to be compressed when compression is on. */
export const bigRequest: ChatRequest = { ...smallRequest, messages: [...smallRequest.messages, { role: 'user', content: 'long prompt '.repeat(600) }] }
