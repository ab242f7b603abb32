// npm run bench -- gateway [--json]: what the local gateway adds, measured in one run
// against calling the fake Cerebras server directly. The fake runs in a child
// process. Added latency is measured twice: with the gateway in its own process
// started by `wafer gateway run`, as users run it (and as the app runs it, in
// Electron's main process, apart from any client); and with the gateway inside
// this process, sharing one event loop with the client, which charges the
// gateway's work after each response (the audit commit) to the next request
// too: a pessimistic bound. CPU and memory are measured in this process, where
// they are the client's plus the gateway's.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { startGateway } from '../electron/main/services/gateway/start'
import { LISTENING_ON, startChild, startGatewayCli } from './child'
import { cpuBetween, type ThreadCpu, threadCpu } from './process-cpu'
import { type BenchOptions, type BenchRow, row } from './types'

const root = fileURLToPath(new URL('..', import.meta.url))

const startFake = (args: string[]) =>
  startChild(['--import', 'tsx', path.join(root, 'test/fake-cerebras/cli.ts'), '--port', '0', ...args], /(http:\/\/127\.0\.0\.1:\d+\/v1)/)

/** Request pairs (direct, via) a measurement window holds. */
const WINDOW_PAIRS = 400
/**
 * Pairs sent before the steady-state window. The added latency falls over the
 * first ~900 pairs as V8 optimises the gateway's hot path (and the client's and
 * the fake's), then holds: in 300-pair windows on this project's test machine,
 * 2.08, 1.92, 1.71, 1.51, 1.53, 1.58, 1.64, 1.56 ms. A gateway serves far more
 * requests than that in a working day, so its goal is judged warm; the cold
 * window (just after start) is reported beside it.
 */
const WARM_UP_PAIRS = 1000

type Added = Record<'cold' | 'warm', { d50: number; v50: number; d99: number; v99: number }> & {
  /** The via's process, over the warm window, ms a request: its event-loop thread, and all its threads. */
  cpu: { loopMs: number; processMs: number } | null
}

/**
 * Direct and via requests interleaved (each round a direct request, then one through each of `vias`, their order
 * alternating), so all see the same machine load: for each via, the added p50 and p99 just after it started
 * (`cold`: the WINDOW_PAIRS rounds after 30) and once it is warm (`warm`: the WINDOW_PAIRS rounds after
 * WARM_UP_PAIRS). For a via in a process of its own (`pids`), also the CPU it used a request in the warm window:
 * unlike the latency, which moves with the machine's load, that is the process's own work (bench/process-cpu.ts).
 */
async function addedLatency(direct: string, vias: string[], prompt: string, pids: Array<number | undefined> = []): Promise<Added[]> {
  const d: number[] = []
  const v: number[][] = vias.map(() => [])
  let cpuBefore: Array<ThreadCpu | null> = []
  for (let i = 0; i < WARM_UP_PAIRS + WINDOW_PAIRS; i++) {
    if (i === WARM_UP_PAIRS) cpuBefore = vias.map((_, k) => (pids[k] ? threadCpu(pids[k]) : null))
    d.push((await streamOnce(direct, prompt, 40)).ms)
    for (const k of i % 2 ? [...vias.keys()].reverse() : vias.keys()) v[k].push((await streamOnce(vias[k], prompt, 40)).ms)
  }
  return v.map((times, k) => {
    const window = (from: number) => {
      const dw = d.slice(from, from + WINDOW_PAIRS)
      const vw = times.slice(from, from + WINDOW_PAIRS)
      return { d50: pct(dw, 50), v50: pct(vw, 50), d99: pct(dw, 99), v99: pct(vw, 99) }
    }
    const pid = pids[k]
    const used = pid ? cpuBetween(pid, cpuBefore[k], threadCpu(pid)) : null
    const cpu = used && { loopMs: used.loopMs / WINDOW_PAIRS, processMs: used.processMs / WINDOW_PAIRS }
    return { cold: window(30), warm: window(WARM_UP_PAIRS), cpu }
  })
}

/** One streamed request, read to the end; returns ms and the number of SSE events. */
async function streamOnce(base: string, content: string, maxTokens: number): Promise<{ ms: number; events: number; ok: boolean }> {
  const t0 = performance.now()
  const res = await fetch(`${base}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
    body: JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content }], stream: true, max_completion_tokens: maxTokens }),
  })
  const text = await res.text()
  const events = text.split('\n\n').filter((e) => e.startsWith('data:')).length
  const ok = res.status === 200 && !text.includes('"error"') && text.includes('"finish_reason":"')
  return { ms: performance.now() - t0, events, ok }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}

/** One streamed request; returns the ms until the first event carrying answer text, and until the end. */
async function firstTextOnce(base: string, content: string): Promise<{ firstMs: number; ms: number; ok: boolean }> {
  const t0 = performance.now()
  const res = await fetch(`${base}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
    body: JSON.stringify({ model: 'fake-fast', messages: [{ role: 'user', content }], stream: true, max_completion_tokens: 60 }),
  })
  let firstMs = -1
  let buf = ''
  let all = ''
  const decoder = new TextDecoder()
  for await (const bytes of res.body as unknown as AsyncIterable<Uint8Array>) {
    const text = decoder.decode(bytes, { stream: true })
    all += text
    if (firstMs >= 0) continue
    buf += text
    let cut: number
    while (firstMs < 0 && (cut = buf.indexOf('\n\n')) >= 0) {
      const event = buf.slice(0, cut)
      buf = buf.slice(cut + 2)
      if (!event.startsWith('data: ') || event === 'data: [DONE]') continue
      const chunk = JSON.parse(event.slice(6)) as { choices?: Array<{ delta?: { content?: string } }> }
      if (chunk.choices?.some((c) => c.delta?.content)) firstMs = performance.now() - t0
    }
  }
  const ok = res.status === 200 && firstMs >= 0 && !all.includes('"error"') && all.includes('"finish_reason":"')
  return { firstMs, ms: performance.now() - t0, ok }
}

/**
 * Time to the first answer text through the gateway with the full chain
 * (prompt-injection, pii-detector redacting the stream, audit-logger) next to
 * a gateway without policy, both in front of one paced upstream (fake-fast,
 * 3000 tokens/s, prose), interleaved. The difference is what the chain adds
 * before the client sees text: the input scan, the audit write-ahead and the
 * text the stream redactor holds back.
 */
async function firstTextRows(opts: BenchOptions, dir: string): Promise<BenchRow[]> {
  const paced = await startFake(['--ttft-ms', '20', '--tokens', '60'])
  const file = (name: string, chain: string) => {
    const f = path.join(dir, `${name}.yaml`)
    writeFileSync(
      f,
      `pack: {name: bench-${name}, version: 1.0.0, enabled: true}
policies:
  chain: ${chain}
policy:
  pii-detector: {action: redact}
  audit-logger: {retention_days: 30}
providers:
  targets:
    - id: fake
      provider: cerebras:chat:fake-fast
      base_url: ${paced.url}
      secret_key_ref: {env: BENCH_KEY}
`,
    )
    return f
  }
  const start = (name: string, chain: string) =>
    startGateway({
      listen: '127.0.0.1:0',
      policyConfigs: [file(name, chain)],
      failMode: 'block',
      maxConcurrency: 64,
      auditDb: path.join(dir, `${name}-audit.db`),
      secrets: { env: { BENCH_KEY: 'csk-bench' } },
    })
  const full = await start('first-text-full', '[prompt-injection, pii-detector, audit-logger]')
  const none = await start('first-text-none', '[]')
  try {
    const prompt = 'Explain wafer-scale inference to a developer in a short paragraph.'
    const run = async (n: number) => {
      const f: number[] = []
      const b: number[] = []
      let failed = 0
      for (let i = 0; i < n; i++) {
        const a = await firstTextOnce(`${full.url}/v1`, `${prompt} #${i}`)
        const c = await firstTextOnce(`${none.url}/v1`, `${prompt} #${i}`)
        if (!a.ok || !c.ok) failed++
        f.push(a.firstMs)
        b.push(c.firstMs)
      }
      return { f, b, failed }
    }
    await run(20)
    const { f, b, failed } = await run(150)
    if (failed) throw new Error(`${failed} first-text requests failed`)
    opts.log(
      `first answer text: full chain p50 ${pct(f, 50).toFixed(2)} ms (p90 ${pct(f, 90).toFixed(2)}), ` +
        `no policy p50 ${pct(b, 50).toFixed(2)} ms (p90 ${pct(b, 90).toFixed(2)})`,
    )
    return [
      row('gateway', 'gateway.first_text_ms', pct(f, 50), 'ms', pct(b, 50)),
      row('gateway', 'gateway.first_text_holdback_ms', pct(f, 50) - pct(b, 50), 'ms', pct(b, 50)),
    ]
  } finally {
    await full.stop(1000)
    await none.stop(1000)
    paced.child.kill()
  }
}

export default async function gatewayBench(opts: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wafer-gw-bench-'))
  // `npm run bench -- gateway first-text`: only the time to first text.
  if (opts.args.includes('first-text')) {
    try {
      return await firstTextRows(opts, dir)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const fast = await startFake(['--firehose', '--tokens', '40'])
  const paced = await startFake(['--tps', '3000', '--ttft-ms', '50', '--tokens', '300'])
  const FULL_CHAIN = '[prompt-injection, pii-detector, audit-logger]'
  const policy = (base: string, chain: string) => `pack: {name: bench, version: 1.0.0, enabled: true}
policies:
  chain: ${chain}
policy:
  pii-detector: {action: redact}
  audit-logger: {retention_days: 30}
providers:
  targets:
    - id: fake
      provider: cerebras:chat:fake-fast
      base_url: ${base}
      secret_key_ref: {env: BENCH_KEY}
`
  const policyFile = (base: string, name: string, chain = FULL_CHAIN) => {
    const file = path.join(dir, `${name}.yaml`)
    writeFileSync(file, policy(base, chain))
    return file
  }
  const start = async (base: string, name: string) => {
    const file = policyFile(base, name)
    return startGateway({
      listen: '127.0.0.1:0',
      policyConfigs: [file],
      failMode: 'block',
      maxConcurrency: 512,
      auditDb: path.join(dir, `${name}-audit.db`),
      secrets: { env: { BENCH_KEY: 'csk-bench' } },
    })
  }
  // The headless gateway, exactly as a user starts it.
  // Each gets an audit log in the bench's folder, the one without audit-logger too: left out, --audit-db defaults to
  // the user's data folder, which a bench must not touch.
  const startCli = (name: string, chain: string) =>
    startGatewayCli({
      policyConfig: policyFile(fast.url, name, chain),
      auditDb: path.join(dir, `${name}-audit.db`),
      maxConcurrency: 512,
      env: { BENCH_KEY: 'csk-bench' },
    })
  const cli = await startCli('cli', FULL_CHAIN)
  // The same gateway without the audit log: what the write-ahead record (its commit on the writer thread, awaited
  // before the first byte) adds is the difference between the two, measured in the same rounds.
  const cliNoAudit = await startCli('cli-no-audit', '[prompt-injection, pii-detector]')
  // The floor: a bare forwarding proxy in a process of its own (minimal-proxy.ts).
  const floor = await startChild(['--import', 'tsx', path.join(root, 'bench/minimal-proxy.ts'), fast.url], LISTENING_ON)
  const gwFast = await start(fast.url, 'fast')
  const gwPaced = await start(paced.url, 'paced')
  try {
    // ---- added latency: interleaved sequential requests, direct vs through the gateway
    const prompt = 'Summarise the benefits of wafer-scale inference for a developer audience in three sentences.'
    const [own, bare, noAudit] = await addedLatency(fast.url, [`${cli.url}/v1`, `${floor.url}/v1`, `${cliNoAudit.url}/v1`], prompt, [
      cli.child.pid,
      floor.child.pid,
      cliNoAudit.child.pid,
    ])
    opts.log(
      `added latency, gateway in its own process: direct p50 ${own.warm.d50.toFixed(2)} ms, via gateway p50 ${own.warm.v50.toFixed(2)} ms ` +
        `(just after start: ${own.cold.d50.toFixed(2)} and ${own.cold.v50.toFixed(2)} ms); ` +
        `via a bare forwarding proxy p50 ${bare.warm.v50.toFixed(2)} ms; via the gateway without audit-logger p50 ${noAudit.warm.v50.toFixed(2)} ms`,
    )
    rows.push(row('gateway', 'gateway.added_p50_ms', own.warm.v50 - own.warm.d50, 'ms', own.warm.d50))
    rows.push(row('gateway', 'gateway.added_p99_ms', own.warm.v99 - own.warm.d99, 'ms', own.warm.d99))
    rows.push(row('gateway', 'gateway.cold.added_p50_ms', own.cold.v50 - own.cold.d50, 'ms', own.cold.d50))
    // What any local hop adds here and now (no checks, no policy, no log): the part of the figure above that is not the gateway's own work.
    rows.push(row('gateway', 'gateway.floor.bare_proxy_added_p50_ms', bare.warm.v50 - bare.warm.d50, 'ms', bare.warm.d50))
    // The part of the goal row that is the audit log's: the same gateway and policies, no audit-logger in the chain.
    rows.push(row('gateway', 'gateway.breakdown.no_audit_added_p50_ms', noAudit.warm.v50 - noAudit.warm.d50, 'ms', noAudit.warm.d50))
    // CPU a request, warm: the gateway's serving thread and its whole process, next to the bare proxy's (a process
    // that only forwards), and without the audit log. Less moved by the machine's load than the latencies above.
    const cpuRows = (name: string, a: Added) => [
      row('gateway', `gateway.cpu.${name}serving_thread_ms_per_request`, a.cpu?.loopMs ?? null, 'ms', bare.cpu?.loopMs ?? null),
      row('gateway', `gateway.cpu.${name}process_ms_per_request`, a.cpu?.processMs ?? null, 'ms', bare.cpu?.processMs ?? null),
    ]
    rows.push(...cpuRows('', own), ...cpuRows('no_audit.', noAudit))
    const [shared] = await addedLatency(fast.url, [`${gwFast.url}/v1`], prompt)
    opts.log(
      `added latency, gateway in the client's process: direct p50 ${shared.warm.d50.toFixed(2)} ms, via gateway p50 ${shared.warm.v50.toFixed(2)} ms ` +
        `(just after start: ${shared.cold.d50.toFixed(2)} and ${shared.cold.v50.toFixed(2)} ms)`,
    )
    rows.push(row('gateway', 'gateway.in_process.added_p50_ms', shared.warm.v50 - shared.warm.d50, 'ms', shared.warm.d50))
    rows.push(row('gateway', 'gateway.in_process.added_p99_ms', shared.warm.v99 - shared.warm.d99, 'ms', shared.warm.d99))

    // ---- CPU per chunk: client alone (direct) vs client + gateway, same streams
    const cpuRun = async (base: string) => {
      const c0 = process.cpuUsage()
      let events = 0
      for (let i = 0; i < 10; i++) {
        const batch = await Promise.all(Array.from({ length: 20 }, () => streamOnce(base, prompt, 40)))
        events += batch.reduce((n, b) => n + b.events, 0)
      }
      const c = process.cpuUsage(c0)
      return (c.user + c.system) / events
    }
    await cpuRun(`${gwFast.url}/v1`)
    const clientOnly = await cpuRun(fast.url)
    const withGateway = await cpuRun(`${gwFast.url}/v1`)
    rows.push(row('gateway', 'gateway.cpu_us_per_chunk', withGateway - clientOnly, 'µs', clientOnly))

    // ---- 200 concurrent paced streams, several rounds: errors and memory
    let errors = 0
    const rss: number[] = []
    const heap: number[] = []
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          streamOnce(`${gwPaced.url}/v1`, `${prompt} (#${round}-${i})`, 300).catch(() => ({ ms: 0, events: 0, ok: false })),
        ),
      )
      errors += results.filter((r) => !r.ok).length
      // npm run bench runs node with --expose-gc, so what is left is what is really held.
      global.gc?.()
      rss.push(process.memoryUsage().rss / 1024 / 1024)
      heap.push(process.memoryUsage().heapUsed / 1024 / 1024)
      opts.log(
        `concurrent round ${round + 1}: ${results.filter((r) => r.ok).length}/200 ok, p50 ${pct(
          results.map((r) => r.ms),
          50,
        ).toFixed(0)} ms, rss ${rss.at(-1)!.toFixed(0)} MB, heap ${heap.at(-1)!.toFixed(0)} MB`,
      )
    }
    rows.push(row('gateway', 'gateway.concurrent200.errors', errors, 'count'))
    rows.push(row('gateway', 'gateway.concurrent200.rss_mb', rss.at(-1)!, 'MB', rss[0]))
    rows.push(row('gateway', 'gateway.concurrent200.rss_growth_mb', rss.at(-1)! - rss[1], 'MB'))
    rows.push(row('gateway', 'gateway.concurrent200.heap_growth_mb', heap.at(-1)! - heap[1], 'MB', heap[1]))
    rows.push(...(await firstTextRows(opts, dir)))
  } finally {
    await gwFast.stop(1000)
    await gwPaced.stop(1000)
    cli.child.kill('SIGTERM')
    cliNoAudit.child.kill('SIGTERM')
    floor.child.kill('SIGTERM')
    fast.child.kill()
    paced.child.kill()
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}
