// A writer for the crash and concurrency tests, run as its own process:
//   node --import tsx writer-child.ts <file> <tag> [count] [--thread]
// Appends as fast as it can (forever, or `count` records, then exits 0).
// After every commit it prints `committed <seq>` with the head read back from
// the file, so the parent knows what was durably written before it kills us.
// With --thread the records go through the gateway's writer thread.
import { AuditWriterThread, openAuditLog } from '@main/services/audit/index'

const args = process.argv.slice(2)
const thread = args.includes('--thread')
const [file, tag, countArg] = args.filter((a) => a !== '--thread')
const limit = countArg ? Number(countArg) : Infinity
const say = (line: string) => process.stdout.write(line + '\n')
const log = thread ? await threadLog() : openAuditLog({ file })

/** The writer thread behind the same calls the loop makes (append, flush, head, close). */
async function threadLog() {
  const writer = await AuditWriterThread.open({ file })
  const reader = openAuditLog({ file, create: false })
  return {
    append: (e: Parameters<AuditWriterThread['append']>[0]) => writer.append(e),
    flush: () => writer.flush(),
    head: () => reader.head(),
    close: async () => {
      await writer.close()
      reader.close()
    },
  }
}

let n = 0
let round = 0
say('ready')
while (n < limit) {
  // Mixed batch sizes and both commit paths: explicit flush() and the end-of-tick commit.
  const size = Math.min(1 + (round % 40), limit - n)
  for (let i = 0; i < size; i++) {
    n++
    log.append({
      kind: 'request',
      requestId: `${tag}-${n}`,
      client: '127.0.0.1:40000',
      target: 'cerebras-fast',
      verdicts: [{ policy: 'pii-detector', verdict: n % 5 === 0 ? 'redact' : 'allow' }],
      findings: n % 5 === 0 ? [{ policy: 'pii-detector', entity: 'EMAIL', location: 'input', start: 4, end: 21, text: `user${n}@example.com` }] : [],
      usage: { promptTokens: n % 100, completionTokens: 7, totalTokens: (n % 100) + 7 },
      latencyMs: n % 250,
      detail: { padding: 'x'.repeat(n % 200) },
    })
  }
  if (round % 2 === 0) await log.flush()
  else await new Promise((r) => setImmediate(r))
  say(`committed ${log.head().seq}`)
  round++
}
await log.close()
say('done')
