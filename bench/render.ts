// npm run bench -- render [--json]: how smoothly the playground paints a
// fast stream. Chromium drives the app through `npm run web` against the fake
// Cerebras server, which streams 20,000 tokens at 6,000 tokens/s: first into
// one playground pane, then into four panes at once. Main-thread tasks come
// from a Chromium trace (every task, not only those over 50 ms), frame
// intervals from a requestAnimationFrame loop, and the rendered text is
// compared with what the server sent.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import type { Browser, CDPSession, Page } from 'playwright-core'

import { FakeCerebras } from '../electron/main/services/demo/fake-cerebras/server'
import { launchBrowser } from '../test/support/browser'
import { answerRunExport } from '../test/support/run-export'
import { startWebHost } from '../test/support/web-host'
import { type BenchOptions, type BenchRow, row } from './types'

const TOKENS = 20_000
const TOKENS_PER_SEC = 6_000
/** Targets from the issue: no task over 50 ms, p95 frame interval at most 20 ms. */
const LONG_TASK_TARGET_MS = 50
const FRAME_TARGET_MS = 20

/** Main-thread CPU: the longest task's and all tasks' together. */
interface CpuFigures {
  longestTaskCpuMs: number
  cpuMs: number
}

function cpuFigures(trace: TraceEvent[]): CpuFigures {
  const cpu = rendererTaskCpu(trace)
  return { longestTaskCpuMs: cpu.length ? Math.max(...cpu) : NaN, cpuMs: cpu.reduce((a, b) => a + b, 0) }
}

interface CaseResult extends CpuFigures {
  longestTaskMs: number
  tasksOver50: number
  p95FrameMs: number
  maxFrameMs: number
  frames: number
  streamMs: number
  receivedTokensPerSec: number
  textEqual: boolean
  mismatch: string | null
}

interface TraceEvent {
  name: string
  ph: string
  pid: number
  tid: number
  ts: number
  dur?: number
  /** Thread (CPU) time: on a loaded machine a task's wall time also holds the time it waited for a core. */
  tdur?: number
  args?: { name?: string; data?: { functionName?: string; url?: string; lineNumber?: number; columnNumber?: number } }
}

const normalise = (s: string) => s.replace(/\s+/g, ' ').trim()

function p95(values: number[]): number {
  if (!values.length) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]
}

export async function startTrace(cdp: CDPSession): Promise<() => Promise<TraceEvent[]>> {
  const events: TraceEvent[] = []
  cdp.on('Tracing.dataCollected', (e) => {
    events.push(...(e.value as unknown as TraceEvent[]))
  })
  await cdp.send('Tracing.start', {
    categories: 'toplevel,devtools.timeline,disabled-by-default-devtools.timeline',
    transferMode: 'ReportEvents',
  })
  return async () => {
    const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
    await cdp.send('Tracing.end')
    await complete
    return events
  }
}

/** Where the time of the long tasks went (trace event name → total ms), for the log. */
export function longTaskBreakdown(events: TraceEvent[]): string {
  const taskName = events.some((e) => e.name === 'RunTask') ? 'RunTask' : 'ThreadControllerImpl::RunTask'
  const long = events.filter((e) => e.ph === 'X' && e.name === taskName && (e.dur ?? 0) > LONG_TASK_TARGET_MS * 1000)
  const totals = new Map<string, number>()
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined || e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') continue
    if (!long.some((t) => t.pid === e.pid && t.tid === e.tid && e.ts >= t.ts && e.ts < t.ts + (t.dur ?? 0))) continue
    const fn =
      e.name === 'FunctionCall' && e.args?.data
        ? `(${e.args.data.functionName || '?'} ${(e.args.data.url ?? '').split('/').pop()}:${e.args.data.lineNumber}:${e.args.data.columnNumber})`
        : ''
    totals.set(e.name + fn, (totals.get(e.name + fn) ?? 0) + e.dur / 1000)
  }
  // A loop, not Math.min(...): a long trace has more events than a call has room for arguments.
  const t0 = events.reduce((min, e) => (e.ph === 'X' && e.ts < min ? e.ts : min), Infinity)
  const when = long.map((t) => `${((t.ts - t0) / 1000).toFixed(0)}ms+${((t.dur ?? 0) / 1000).toFixed(0)}`).join(' ')
  return `at ${when}: ${[...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([n, ms]) => `${n} ${ms.toFixed(0)} ms`)
    .join(', ')}`
}

/** Durations (ms) of every task on the busiest renderer main thread of the trace. */
export function rendererTasks(events: TraceEvent[]): number[] {
  return rendererTaskEvents(events).map((e) => e.dur! / 1000)
}

/** CPU time (ms) of every task on the busiest renderer main thread: what the page itself cost, whatever else ran on the machine. */
export function rendererTaskCpu(events: TraceEvent[]): number[] {
  return rendererTaskEvents(events).map((e) => (e.tdur ?? e.dur!) / 1000)
}

function rendererTaskEvents(events: TraceEvent[]): TraceEvent[] {
  const mainThreads = new Set(
    events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  )
  // Newer Chromium names top-level tasks RunTask, older ThreadControllerImpl::RunTask; count one, not both.
  const taskName = events.some((e) => e.name === 'RunTask') ? 'RunTask' : 'ThreadControllerImpl::RunTask'
  const byThread = new Map<string, TraceEvent[]>()
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== taskName || e.dur === undefined) continue
    const key = `${e.pid}:${e.tid}`
    if (!mainThreads.has(key)) continue
    let list = byThread.get(key)
    if (!list) byThread.set(key, (list = []))
    list.push(e)
  }
  return [...byThread.values()].sort((a, b) => b.length - a.length)[0] ?? []
}

async function preparePanes(page: Page, panes: 1 | 4, tag: string, tokens = TOKENS): Promise<string[]> {
  await page.getByTestId(`layout-${panes}`).click()
  const prompts: string[] = []
  for (let i = 0; i < panes; i++) {
    const pane = page.getByTestId(`pane-${i}`)
    await pane.getByTestId('composer').click()
    if (panes > 1) await pane.getByRole('button', { name: 'New chat in this pane' }).click()
    else await page.getByTestId('new-chat').click()
    await page.getByTestId('model-input').fill('gpt-oss-120b')
    await page.getByTestId('param-max-tokens').fill(String(tokens))
    const prompt = `Render bench ${tag} pane ${i + 1}: write ${tokens} tokens`
    await pane.getByTestId('composer').fill(prompt)
    prompts.push(prompt)
  }
  // Let the draft save and the token counts settle before measuring.
  await page.waitForTimeout(1500)
  return prompts
}

/** Record every animation-frame interval in the page until `window.__framesOn` is cleared. */
async function startFrameRecorder(page: Page): Promise<void> {
  // A string, not a function: tsx would wrap a function in helpers the page does not have.
  await page.evaluate(`(() => {
    window.__frames = []
    window.__framesOn = true
    let last = performance.now()
    const tick = (now) => {
      window.__frames.push(now - last)
      last = now
      if (window.__framesOn) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })()`)
}

async function runCase(page: Page, fake: FakeCerebras, panes: 1 | 4, log: (l: string) => void): Promise<CaseResult> {
  const tag = `${panes}x-${Date.now().toString(36)}`
  const prompts = await preparePanes(page, panes, tag)
  const cdp = await page.context().newCDPSession(page)
  const stopTrace = await startTrace(cdp)
  await startFrameRecorder(page)
  const started = Date.now()
  if (panes === 1) await page.getByTestId('pane-0').getByTestId('composer').press('Control+Enter')
  else await page.getByTestId('send-all').click()
  await page.getByTestId('assistant-live').first().waitFor({ timeout: 30_000 })
  // Polled from here: the app's CSP (rightly) forbids the string evaluation waitForFunction uses.
  const deadline = Date.now() + 120_000
  while ((await page.getByTestId('assistant-live').count()) > 0) {
    if (Date.now() > deadline) throw new Error('The streams did not finish within 2 minutes')
    await page.waitForTimeout(100)
  }
  const streamMs = Date.now() - started
  // A few more frames so the last paint is inside the window.
  await page.waitForTimeout(300)
  const frames = (await page.evaluate(`(() => {
    window.__framesOn = false
    return window.__frames.slice(1)
  })()`)) as number[]
  const trace = await stopTrace()
  const tasks = rendererTasks(trace)
  if (tasks.some((t) => t > LONG_TASK_TARGET_MS)) log(`  long tasks spent: ${longTaskBreakdown(trace)}`)
  await cdp.detach()

  // What each pane shows against what the server sent for its prompt.
  let mismatch: string | null = null
  let tokensSent = 0
  for (let i = 0; i < panes; i++) {
    const req = fake.chatRequests.find((r) => {
      const messages = (r.body?.messages ?? []) as { role: string; content: string }[]
      return messages.at(-1)?.content === prompts[i]
    })
    if (!req) {
      mismatch = `no request for pane ${i + 1}`
      continue
    }
    const usage = req.sent
    tokensSent += TOKENS
    const pane = page.getByTestId(`pane-${i}`)
    const shown = normalise((await pane.getByTestId('assistant-text').last().textContent()) ?? '')
    const reasoning = normalise((await pane.locator('.pg-reasoning-text').last().textContent()) ?? '')
    if (shown !== normalise(usage.content)) mismatch ??= `pane ${i + 1}: content differs (${shown.length} vs ${normalise(usage.content).length} chars)`
    if (reasoning !== normalise(usage.reasoning))
      mismatch ??= `pane ${i + 1}: reasoning differs (${reasoning.length} vs ${normalise(usage.reasoning).length} chars)`
  }
  const result: CaseResult = {
    ...cpuFigures(trace),
    longestTaskMs: tasks.length ? Math.max(...tasks) : NaN,
    tasksOver50: tasks.filter((t) => t > LONG_TASK_TARGET_MS).length,
    p95FrameMs: p95(frames),
    maxFrameMs: frames.length ? Math.max(...frames) : NaN,
    frames: frames.length,
    streamMs,
    receivedTokensPerSec: (tokensSent / streamMs) * 1000,
    textEqual: mismatch === null,
    mismatch,
  }
  log(
    `render ${panes === 1 ? 'single' : 'four'}: ${tasks.length} tasks, longest ${result.longestTaskMs.toFixed(1)} ms (${result.tasksOver50} over 50 ms); ` +
      `${frames.length} frames, p95 ${result.p95FrameMs.toFixed(1)} ms, max ${result.maxFrameMs.toFixed(1)} ms; ` +
      `stream ${streamMs} ms; text ${mismatch ?? 'equal'}; main thread CPU ${result.cpuMs.toFixed(0)} ms, longest task ${result.longestTaskCpuMs.toFixed(1)} ms of it`,
  )
  return result
}

/** A 100k-token answer as real answers look: headings, paragraphs, lists and code, about 400 KB. */
function longAnswer(): string {
  const words =
    'the wafer streams tokens faster than a reader can follow so the console must paint once per frame and never parse a finished block twice'.split(' ')
  const sentence = (i: number) => Array.from({ length: 14 }, (_, k) => words[(i * 7 + k) % words.length]).join(' ')
  const parts: string[] = []
  for (let s = 0; parts.join('').length < 400_000; s++) {
    parts.push(`## Section ${s + 1}\n\n`)
    parts.push(`${Array.from({ length: 6 }, (_, i) => `${sentence(s + i)}.`).join(' ')} *Emphasis ${s}* and \`code_${s}\`.\n\n`)
    parts.push(`${Array.from({ length: 5 }, (_, i) => `- item ${i + 1}: ${sentence(s * 3 + i)}`).join('\n')}\n\n`)
    parts.push(
      `\`\`\`ts\nexport function step${s}(input: number): number {\n  const doubled = input * 2 // ${sentence(s)}\n  return doubled + ${s}\n}\n\`\`\`\n\n`,
    )
  }
  return `${parts.join('')}The end: sentinel-${parts.length}.`
}

/**
 * A 100k-token answer reopened from History into the playground: its
 * rendering (time-sliced), then scrolling through it and typing a reply,
 * must keep the page responsive.
 */
async function reopenCase(page: Page, log: (l: string) => void): Promise<CpuFigures & { longestTaskMs: number; p95FrameMs: number; renderMs: number }> {
  const content = longAnswer()
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'wafer-render-bench-')), 'long-run.json')
  writeFileSync(file, answerRunExport({ id: 'bench-long-answer', prompt: 'Write the long answer', content, maxCompletionTokens: 120_000 }))
  await page.getByTestId('layout-1').click()
  await page.getByTestId('nav-history').click()
  await page.getByTestId('history-import-file').setInputFiles(file)
  const row = page.locator('[data-testid="history-row"][data-run-id="bench-long-answer"]')
  await row.waitFor({ timeout: 30_000 })
  await row.click()
  await page.getByTestId('run-detail-answer').waitFor()
  const cdp = await page.context().newCDPSession(page)
  const stopTrace = await startTrace(cdp)
  await startFrameRecorder(page)
  const started = Date.now()
  await page.getByTestId('reopen-run').click()
  const sentinel = content.slice(content.lastIndexOf('sentinel-'), -1)
  // Looked for in the page: fetching the whole 400 KB text through the driver every 100 ms
  // was itself one of the longest tasks on the page's main thread (about 20 ms of CPU each).
  const shown = `(() => {
    const answers = document.querySelectorAll('[data-testid="pane-0"] [data-testid="assistant-text"]')
    return answers.length > 0 && answers[answers.length - 1].textContent.includes(${JSON.stringify(sentinel)})
  })()`
  const deadline = Date.now() + 60_000
  while (!(await page.evaluate(shown))) {
    if (Date.now() > deadline) throw new Error('The long answer did not finish rendering within a minute')
    await page.waitForTimeout(100)
  }
  const renderMs = Date.now() - started
  // Scroll through it and type a reply while it is on screen.
  const scroller = page.getByTestId('pane-0').locator('.pg-scroll')
  await scroller.hover()
  for (let i = 0; i < 20; i++) {
    await page.mouse.wheel(0, i < 10 ? -2500 : 2500)
    await page.waitForTimeout(30)
  }
  await page.getByTestId('pane-0').getByTestId('composer').click()
  await page.keyboard.type('A reply typed while a 100k-token answer is on screen', { delay: 15 })
  const frames = (await page.evaluate(`(() => {
    window.__framesOn = false
    return window.__frames.slice(1)
  })()`)) as number[]
  const trace = await stopTrace()
  await cdp.detach()
  const tasks = rendererTasks(trace)
  if (tasks.some((t) => t > LONG_TASK_TARGET_MS)) log(`  long tasks spent: ${longTaskBreakdown(trace)}`)
  const result = { ...cpuFigures(trace), longestTaskMs: tasks.length ? Math.max(...tasks) : NaN, p95FrameMs: p95(frames), renderMs }
  log(
    `render reopen of a ${(content.length / 1024).toFixed(0)} KB answer: rendered in ${renderMs} ms; ` +
      `longest task ${result.longestTaskMs.toFixed(1)} ms, p95 frame ${result.p95FrameMs.toFixed(1)} ms while rendering, scrolling and typing; ` +
      `main thread CPU ${result.cpuMs.toFixed(0)} ms, longest task ${result.longestTaskCpuMs.toFixed(1)} ms of it`,
  )
  return result
}

/**
 * Build the renderer as it ships. Vite keeps an inherited NODE_ENV (vitest
 * sets `test`), which would give React's development build and measure that.
 */
export function buildProductionRenderer(log: (l: string) => void): void {
  log('building the renderer (NODE_ENV=production)…')
  const root = fileURLToPath(new URL('../', import.meta.url))
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (r.status !== 0) throw new Error('The renderer build failed')
}

export default async function render(opts: BenchOptions): Promise<BenchRow[]> {
  buildProductionRenderer(opts.log)
  const fake = new FakeCerebras({ tokensPerSecond: TOKENS_PER_SEC, replyTokens: TOKENS, ttftMs: 100 })
  const baseUrl = await fake.start()
  opts.log(`fake Cerebras at ${baseUrl}: ${TOKENS} tokens at ${TOKENS_PER_SEC} tokens/s`)
  const host = await startWebHost({ CEREBRAS_BASE_URL: baseUrl, CEREBRAS_API_KEY: 'csk-bench-render-0000000000' })
  let browser: Browser | undefined
  try {
    browser = await launchBrowser()
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(host.url)
    await page.getByTestId('nav-playground').click()
    await page.getByTestId('composer').waitFor()
    // One short unmeasured answer first: the first text painted loads fallback fonts
    // (the fake's answers hold é, ï and an emoji) and JIT-compiles the paint path.
    await preparePanes(page, 1, 'warm-up', 300)
    await page.getByTestId('pane-0').getByTestId('composer').press('Control+Enter')
    await page.getByTestId('assistant-message').last().waitFor({ timeout: 30_000 })
    const single = await runCase(page, fake, 1, opts.log)
    const four = await runCase(page, fake, 4, opts.log)
    const reopen = await reopenCase(page, opts.log)
    if (errors.length) opts.log(`page errors: ${errors.join(' | ')}`)
    const S = 'render'
    // Each figure's baseline is its target; ratio ≤ 1 meets it.
    return [
      row(S, 'render.single.longest_task_ms', single.longestTaskMs, 'ms', LONG_TASK_TARGET_MS),
      row(S, 'render.single.p95_frame_ms', single.p95FrameMs, 'ms', FRAME_TARGET_MS),
      row(S, 'render.four.longest_task_ms', four.longestTaskMs, 'ms', LONG_TASK_TARGET_MS),
      row(S, 'render.four.p95_frame_ms', four.p95FrameMs, 'ms', FRAME_TARGET_MS),
      row(S, 'render.text_equal', single.textEqual && four.textEqual ? 1 : 0, 'bool', 1),
      row(S, 'render.single.tasks_over_50ms', single.tasksOver50, 'count'),
      row(S, 'render.four.tasks_over_50ms', four.tasksOver50, 'count'),
      row(S, 'render.single.max_frame_ms', single.maxFrameMs, 'ms'),
      row(S, 'render.four.max_frame_ms', four.maxFrameMs, 'ms'),
      row(S, 'render.single.rendered_tokens_per_sec', single.receivedTokensPerSec, 'tok/s', TOKENS_PER_SEC),
      row(S, 'render.four.rendered_tokens_per_sec', four.receivedTokensPerSec, 'tok/s', TOKENS_PER_SEC * 4),
      row(S, 'render.reopen100k.longest_task_ms', reopen.longestTaskMs, 'ms', LONG_TASK_TARGET_MS),
      row(S, 'render.reopen100k.p95_frame_ms', reopen.p95FrameMs, 'ms', FRAME_TARGET_MS),
      row(S, 'render.reopen100k.render_ms', reopen.renderMs, 'ms'),
      // CPU time, without a target: comparable between runs on a machine other work keeps busy, where wall times are not.
      row(S, 'render.single.longest_task_cpu_ms', single.longestTaskCpuMs, 'ms'),
      row(S, 'render.four.longest_task_cpu_ms', four.longestTaskCpuMs, 'ms'),
      row(S, 'render.reopen100k.longest_task_cpu_ms', reopen.longestTaskCpuMs, 'ms'),
      row(S, 'render.single.main_thread_cpu_ms', single.cpuMs, 'ms'),
      row(S, 'render.four.main_thread_cpu_ms', four.cpuMs, 'ms'),
      row(S, 'render.reopen100k.main_thread_cpu_ms', reopen.cpuMs, 'ms'),
    ]
  } finally {
    await browser?.close()
    await host.stop()
    await fake.stop()
  }
}
