// npm run bench -- startup [--json] [--runs N] [--baseline-rev REV | --baseline DIR]: how fast the
// renderer opens. The web host (electron/web/start.ts, in a process of its own
// as `npm run web` runs: startup-host.ts) serves a built renderer to Chromium; each run opens
// it in a fresh browser context (empty HTTP cache, new renderer process) and
// measures, from navigation start, the time to an interactive playground
// (the demo endpoint on, as `npm run web -- --demo`, so the playground shows):
//
//   the main navigation shows all seven screen buttons, and the playground's
//   prompt box (pane 0's composer) is in the page, visible, enabled, not
//   read-only and reachable by Tab (tabIndex >= 0), checked in each frame's
//   requestAnimationFrame — then that frame has been produced (a task after
//   it), so it is on screen.
//
// The longest start-up task is the longest top-level task on the page's main
// thread (a Chromium trace, every task, not only those over 50 ms) from
// navigation until one second after the page became interactive. Reported as
// well: the longest task that starts after the first contentful paint, the
// ones that can hold back an answer to what the user does on a page already on
// screen (as Total Blocking Time counts them); a task before it (index.html's
// start shell laid out and painted, app/StartShell.tsx) delays the first
// paint instead, which the time to interactive counts.
//
// The baseline is the renderer as built at another commit (--baseline-rev
// REV: built in a temporary git worktree) or an already built renderer folder
// (--baseline DIR, default /tmp/wafer-startup-base/out/renderer), served by
// the same web host code, each build by a host process of its own; runs alternate between the two
// so both see the same machine load. `--runs N` (default 5).
//
// The floor: a minimal page (the seven navigation buttons and the prompt box,
// made by one small script, nothing else) from the same web host, measured the
// same way in the same run. What it takes is what Chromium and the host take on
// this machine at this moment before any app could be interactive, so a run
// under load shows how much of the figure is the app's own.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import type { Browser, CDPSession } from 'playwright-core'

import { SCREEN_LIST } from '../renderer/src/app/screen-list'
import { launchBrowser } from '../test/support/browser'
import { startChild } from './child'
import { type BenchOptions, type BenchRow, row } from './types'

/** Goals from issue 18. */
const INTERACTIVE_TARGET_MS = 400
const LONG_TASK_TARGET_MS = 50
/** How long after interactive the trace keeps counting start-up tasks. */
const SETTLE_MS = 1000

const root = fileURLToPath(new URL('../', import.meta.url))
const DEFAULT_BASELINE = '/tmp/wafer-startup-base/out/renderer'

interface TraceEvent {
  name: string
  ph: string
  pid: number
  tid: number
  ts: number
  dur?: number
  args?: { name?: string; snapshot?: { documentLoaderURL?: string } }
}

interface RunResult {
  interactiveMs: number
  longestTaskMs: number
  /** The longest task but Chromium's navigation commit (see MainThreadTask). */
  longestPageTaskMs: number
  /** The longest task that started after the first contentful paint; null: the trace has no such paint. */
  longestAfterPaintMs: number | null
  tasksOver50: number
  /** Bytes (as sent) of the scripts and stylesheets fetched before the page was interactive. */
  loadedKb: number
}

/** Runs in the page before any of its scripts: marks the moment the playground is usable. */
const MARK_INTERACTIVE = `(() => {
  const state = { ready: null, interactive: null, why: null }
  Object.defineProperty(window, '__startup', { value: state })
  const usable = () => {
    const nav = document.querySelector('nav[aria-label="Main"]')
    if (!nav || nav.querySelectorAll('[data-testid^="nav-"]').length < ${SCREEN_LIST.length}) return false
    const box = document.querySelector('[data-testid="pane-0"] [data-testid="composer"]')
    return !!box && !box.disabled && !box.readOnly && box.tabIndex >= 0 && box.getClientRects().length > 0 && !box.closest('[inert]')
  }
  // Checked once a frame, in its animation-frame callbacks, where the frame lays the page out anyway. (Checked on
  // every DOM mutation, the visibility test forced that layout inside the task that made the mutation, React's
  // commit: one long task of both, which the page itself never runs.)
  const frame = () => {
    if (!usable()) return requestAnimationFrame(frame)
    state.ready = performance.now()
    // This frame shows it: a task after its callbacks runs once it has been rendered.
    setTimeout(() => { state.interactive = performance.now() }, 0)
  }
  requestAnimationFrame(frame)
  state.why = () => ({ nav: document.querySelectorAll('nav[aria-label="Main"] [data-testid^="nav-"]').length, pane: !!document.querySelector('[data-testid="pane-0"]'), composers: document.querySelectorAll('[data-testid="composer"]').length, text: document.body.innerText.slice(0, 300) })
})()`

async function startTrace(cdp: CDPSession): Promise<() => Promise<TraceEvent[]>> {
  const events: TraceEvent[] = []
  cdp.on('Tracing.dataCollected', (e) => {
    events.push(...(e.value as unknown as TraceEvent[]))
  })
  // The task boundaries (toplevel) and which process loaded which page (loading), at little cost to what is measured.
  await cdp.send('Tracing.start', { categories: 'toplevel,loading,__metadata', transferMode: 'ReportEvents' })
  return async () => {
    const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
    await cdp.send('Tracing.end')
    await complete
    return events
  }
}

/** A top-level task on the page's main thread: how long it ran, and whether it was Chromium committing the navigation. */
interface MainThreadTask {
  ms: number
  /**
   * The task in which Chromium commits the navigation and starts loading the response, before any of the page's
   * code runs. On this project's 2-core test machine under load it alone took 27 ms (median) and over 50 ms in 2 of
   * 15 opens of a blank page from the same host, so it is reported apart as well.
   */
  navigationCommit: boolean
  /** Whether it started after the page's first contentful paint (false when the trace has none). */
  afterFirstPaint: boolean
}

/**
 * Top-level tasks on the main thread of the renderer process that loaded `origin` (the trace holds every process of
 * the browser, Chromium's own pages among them).
 */
function mainThreadTasks(events: TraceEvent[], origin: string): MainThreadTask[] {
  const ours = new Set(
    events.filter((e) => e.name === 'FrameLoader:state_snapshot' && e.args?.snapshot?.documentLoaderURL?.startsWith(origin)).map((e) => e.pid),
  )
  // Chromium does not always put the URL in the loader's snapshot: then the busiest renderer main thread, as in
  // the render bench (the app's page does far more work than Chromium's own pages while it starts).
  const mainThreads = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && (!ours.size || ours.has(e.pid)))
      .map((e) => `${e.pid}:${e.tid}`),
  )
  // Newer Chromium names top-level tasks RunTask, older ThreadControllerImpl::RunTask (nested in RunTask when both
  // appear): count one of them, as this process's main thread records them.
  const onMain = (e: TraceEvent) => mainThreads.has(`${e.pid}:${e.tid}`)
  const taskName = events.some((e) => e.name === 'RunTask' && onMain(e)) ? 'RunTask' : 'ThreadControllerImpl::RunTask'
  const commits = events.filter((e) => e.name === 'DocumentLoader::CommitNavigation' && e.ph === 'X' && onMain(e))
  const firstPaint = events.find((e) => e.name === 'firstContentfulPaint' && onMain(e))?.ts
  const byThread = new Map<string, MainThreadTask[]>()
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== taskName || e.dur === undefined || !onMain(e)) continue
    const key = `${e.pid}:${e.tid}`
    let list = byThread.get(key)
    if (!list) byThread.set(key, (list = []))
    const end = e.ts + e.dur
    const navigationCommit = commits.some((c) => `${c.pid}:${c.tid}` === key && c.ts >= e.ts && c.ts < end)
    list.push({ ms: e.dur / 1000, navigationCommit, afterFirstPaint: firstPaint !== undefined && e.ts >= firstPaint })
  }
  return [...byThread.values()].sort((a, b) => b.length - a.length)[0] ?? []
}

async function coldStart(browser: Browser, url: string): Promise<RunResult> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme: 'dark' })
  try {
    await context.addInitScript({ content: MARK_INTERACTIVE })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    const cdp = await context.newCDPSession(page)
    const stopTrace = await startTrace(cdp)
    await page.goto(url)
    const deadline = Date.now() + 30_000
    let interactive: number | null = null
    // Polled: the app's CSP (rightly) forbids the string evaluation waitForFunction uses.
    while ((interactive = (await page.evaluate('window.__startup.interactive')) as number | null) === null) {
      if (Date.now() > deadline) {
        const seen = JSON.stringify(await page.evaluate('window.__startup.why()'))
        throw new Error(`The playground did not become interactive within 30 s (${seen})${errors.length ? `: ${errors.join('; ')}` : ''}`)
      }
      await page.waitForTimeout(20)
    }
    const loaded = (await page.evaluate(
      `performance.getEntriesByType('resource').filter((r) => r.responseEnd <= ${interactive} && /\\.(js|css)$/.test(new URL(r.name).pathname)).reduce((n, r) => n + r.encodedBodySize, 0)`,
    )) as number
    // Start-up work that runs right after (lazy chunks, first counts) still counts as start-up.
    await page.waitForTimeout(SETTLE_MS)
    const tasks = mainThreadTasks(await stopTrace(), new URL(url).origin)
    await cdp.detach()
    if (errors.length) throw new Error(`The page threw while starting: ${errors.join('; ')}`)
    return {
      interactiveMs: interactive,
      loadedKb: loaded / 1024,
      longestTaskMs: Math.max(0, ...tasks.map((t) => t.ms)),
      longestPageTaskMs: Math.max(0, ...tasks.filter((t) => !t.navigationCommit).map((t) => t.ms)),
      // afterFirstPaint is false throughout when the trace has no first paint.
      longestAfterPaintMs: tasks.some((t) => t.afterFirstPaint) ? Math.max(...tasks.filter((t) => t.afterFirstPaint).map((t) => t.ms)) : null,
      tasksOver50: tasks.filter((t) => t.ms > LONG_TASK_TARGET_MS).length,
    }
  } finally {
    await context.close()
  }
}

/**
 * The floor page: what MARK_INTERACTIVE waits for (the main navigation's seven buttons, pane 0's prompt box) and
 * nothing else, made by one module script, as the app's page loads its own. Written into a new folder; returns it.
 */
function writeFloorPage(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wafer-bench-startup-floor-'))
  mkdirSync(path.join(dir, 'assets'))
  writeFileSync(
    path.join(dir, 'index.html'),
    `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <title>Start-up floor</title>
    <script type="module" crossorigin src="./assets/floor.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>
`,
  )
  writeFileSync(
    path.join(dir, 'assets', 'floor.js'),
    `const nav = document.createElement('nav')
nav.setAttribute('aria-label', 'Main')
for (const [id, label] of ${JSON.stringify(SCREEN_LIST.map((s) => [s.id, s.label]))}) {
  const button = document.createElement('button')
  button.dataset.testid = 'nav-' + id
  button.textContent = label
  nav.append(button)
}
const pane = document.createElement('div')
pane.dataset.testid = 'pane-0'
const box = document.createElement('textarea')
box.dataset.testid = 'composer'
box.setAttribute('aria-label', 'Prompt')
pane.append(box)
document.getElementById('root').append(nav, pane)
`,
  )
  return dir
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}

/**
 * The renderer as built at commit `rev`: a detached git worktree (node_modules linked from this checkout), its own
 * renderer build into a temporary folder, then the worktree removed. Returns the folder.
 */
function buildAt(rev: string, log: (l: string) => void): string {
  const git = (...args: string[]) => {
    const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
    return r.stdout.trim()
  }
  const commit = git('rev-parse', '--verify', `${rev}^{commit}`)
  const tree = mkdtempSync(path.join(os.tmpdir(), 'wafer-bench-startup-base-'))
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'wafer-bench-startup-base-renderer-'))
  log(`Building the baseline renderer at ${commit.slice(0, 10)} in ${tree}…`)
  git('worktree', 'add', '--detach', tree, commit)
  try {
    symlinkSync(path.join(root, 'node_modules'), path.join(tree, 'node_modules'), 'dir')
    const built = spawnSync(
      process.execPath,
      ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error', '--outDir', outDir],
      {
        cwd: tree,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
      },
    )
    if (built.status !== 0) throw new Error(`Building the renderer at ${commit} failed`)
  } finally {
    git('worktree', 'remove', '--force', tree)
  }
  return outDir
}

export default async function startup(opts: BenchOptions): Promise<BenchRow[]> {
  const runs = Number(argValue(opts.args, '--runs') ?? 5)
  const baselineRev = argValue(opts.args, '--baseline-rev')
  const baselineDir = baselineRev ? buildAt(baselineRev, opts.log) : (argValue(opts.args, '--baseline') ?? DEFAULT_BASELINE)
  // The current renderer, built afresh from this checkout into a folder of its own: out/renderer may be rebuilt
  // by a test run while the bench reads it.
  const currentDir = mkdtempSync(path.join(os.tmpdir(), 'wafer-bench-startup-renderer-'))
  opts.log('Building the renderer…')
  const built = spawnSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error', '--outDir', currentDir],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    },
  )
  if (built.status !== 0) throw new Error('Building the renderer failed')
  const builds: { name: 'current' | 'baseline' | 'floor'; dir: string }[] = [{ name: 'current', dir: currentDir }]
  if (statSync(path.join(baselineDir, 'index.html'), { throwIfNoEntry: false })) builds.push({ name: 'baseline', dir: baselineDir })
  else opts.log(`No baseline renderer at ${baselineDir} (pass --baseline DIR): reporting the current build alone.`)
  const floorDir = writeFloorPage()
  builds.push({ name: 'floor', dir: floorDir })

  const hosts = await Promise.all(
    builds.map(async (b) => {
      const userDataDir = mkdtempSync(path.join(os.tmpdir(), `wafer-bench-startup-${b.name}-`))
      // Each build's web host in a process of its own, as `npm run web -- --demo` runs (startup-host.ts): the demo
      // endpoint on, since with no key the playground shows the welcome panel instead.
      const { url, child } = await startChild(['--import', 'tsx', path.join(root, 'bench/startup-host.ts'), b.dir, userDataDir], /URL (\S+)/)
      return { ...b, child, userDataDir, url, results: [] as RunResult[] }
    }),
  )
  const browser = await launchBrowser()
  try {
    // One unmeasured open each, so Chromium's own first-launch work is not billed to either build.
    for (const h of hosts) await coldStart(browser, h.url)
    for (let i = 0; i < runs; i++) {
      // Alternate which build goes first, so both see the same machine load.
      for (const h of i % 2 ? [...hosts].reverse() : hosts) {
        const r = await coldStart(browser, h.url)
        h.results.push(r)
        opts.log(
          `  ${h.name} run ${i + 1}: interactive ${r.interactiveMs.toFixed(0)} ms, longest task ${r.longestTaskMs.toFixed(0)} ms ` +
            `(${r.longestPageTaskMs.toFixed(0)} ms but the navigation commit, ${r.longestAfterPaintMs?.toFixed(0) ?? '—'} ms after the first paint), ` +
            `${r.tasksOver50} over ${LONG_TASK_TARGET_MS} ms`,
        )
      }
    }
  } finally {
    await browser.close()
    for (const h of hosts) {
      h.child.kill('SIGTERM')
      await new Promise((resolve) => (h.child.exitCode === null ? h.child.once('exit', resolve) : resolve(null)))
      rmSync(h.userDataDir, { recursive: true, force: true })
    }
    rmSync(currentDir, { recursive: true, force: true })
    rmSync(floorDir, { recursive: true, force: true })
    if (baselineRev) rmSync(baselineDir, { recursive: true, force: true })
  }

  const summary = (h: (typeof hosts)[number]) => {
    const afterPaint = h.results.flatMap((r) => (r.longestAfterPaintMs === null ? [] : [r.longestAfterPaintMs]))
    return {
      interactive: median(h.results.map((r) => r.interactiveMs)),
      longest: Math.max(...h.results.map((r) => r.longestTaskMs)),
      longestMedian: median(h.results.map((r) => r.longestTaskMs)),
      longestPage: Math.max(...h.results.map((r) => r.longestPageTaskMs)),
      longestPageMedian: median(h.results.map((r) => r.longestPageTaskMs)),
      // Over the runs whose trace had the first paint; null (shown "—") when none had.
      longestAfterPaint: afterPaint.length ? Math.max(...afterPaint) : null,
      longestAfterPaintMedian: afterPaint.length ? median(afterPaint) : null,
      over50: Math.max(...h.results.map((r) => r.tasksOver50)),
      loadedKb: median(h.results.map((r) => r.loadedKb)),
    }
  }
  const byName = (name: string) => hosts.find((h) => h.name === name)
  const cur = summary(byName('current')!)
  const baseHost = byName('baseline')
  const base = baseHost ? summary(baseHost) : null
  const floor = summary(byName('floor')!)
  opts.log(
    `current: interactive ${cur.interactive.toFixed(0)} ms (goal ≤ ${INTERACTIVE_TARGET_MS}), longest task ${cur.longest.toFixed(0)} ms (goal ≤ ${LONG_TASK_TARGET_MS})` +
      (base ? `; baseline (${baselineDir}): ${base.interactive.toFixed(0)} ms, ${base.longest.toFixed(0)} ms` : '') +
      `; floor (a minimal page): ${floor.interactive.toFixed(0)} ms, ${floor.longest.toFixed(0)} ms`,
  )
  return [
    row('startup', `interactive playground, median of ${runs} (ms)`, cur.interactive, 'ms', base?.interactive ?? null),
    row('startup', `longest start-up task, worst of ${runs} (ms)`, cur.longest, 'ms', base?.longest ?? null),
    row('startup', `longest start-up task, median of ${runs} (ms)`, cur.longestMedian, 'ms', base?.longestMedian ?? null),
    row('startup', `longest task but Chromium's navigation commit, worst of ${runs} (ms)`, cur.longestPage, 'ms', base?.longestPage ?? null),
    row('startup', `longest task but Chromium's navigation commit, median of ${runs} (ms)`, cur.longestPageMedian, 'ms', base?.longestPageMedian ?? null),
    row('startup', `longest task after the first paint, worst of ${runs} (ms)`, cur.longestAfterPaint, 'ms', base?.longestAfterPaint ?? null),
    row('startup', `longest task after the first paint, median of ${runs} (ms)`, cur.longestAfterPaintMedian, 'ms', base?.longestAfterPaintMedian ?? null),
    row('startup', `tasks over ${LONG_TASK_TARGET_MS} ms, worst run`, cur.over50, 'tasks', base?.over50 ?? null),
    row('startup', 'scripts and styles loaded before interactive (KB)', cur.loadedKb, 'KB', base?.loadedKb ?? null),
    row('startup', `floor: a minimal page from the same host, interactive, median of ${runs} (ms)`, floor.interactive, 'ms'),
    row('startup', `floor: longest task, median of ${runs} (ms)`, floor.longestMedian, 'ms'),
    row('startup', `floor: longest task, worst of ${runs} (ms)`, floor.longest, 'ms'),
    row('startup', `floor: longest task after the first paint, median of ${runs} (ms)`, floor.longestAfterPaintMedian, 'ms'),
    row('startup', `floor: tasks over ${LONG_TASK_TARGET_MS} ms, worst run`, floor.over50, 'tasks'),
  ]
}
