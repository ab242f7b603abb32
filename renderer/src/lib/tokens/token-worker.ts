import { answerCount, type CountReply, type CountRequest } from './count-request'

/*
 * The tokenizers run here, off the page's main thread: loading a vocabulary
 * (several MB) and counting a long conversation take tens to hundreds of
 * milliseconds, which on the main thread would stall typing. Requests are
 * answered in order, one at a time.
 */
// The worker's global, typed by what is used (the renderer's TypeScript lib is the DOM's, not the worker's).
const scope = self as unknown as { onmessage: ((e: MessageEvent<CountRequest>) => void) | null; postMessage(reply: CountReply): void }
let queue = Promise.resolve()
scope.onmessage = (e: MessageEvent<CountRequest>) => {
  queue = queue.then(async () => scope.postMessage(await answerCount(e.data)))
}
