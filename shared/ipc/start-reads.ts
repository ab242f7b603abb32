import type { ChannelName, EventName } from './contract'

/**
 * The reads the start-up screen waits on before it is usable: the settings
 * and key status (the shell), the demo's state and the policy applied to
 * requests (the status bar, and whether the playground shows its welcome
 * panel), and the playground's draft (the panes and the message box). Each
 * takes no arguments.
 *
 * The renderer asks for them as its entry starts (renderer/src/app/start-reads.ts).
 * The web host answers all of them in one HTTP response that the browser
 * fetches while it loads the page's scripts (electron/web/start-reads.ts),
 * instead of once the bridge's WebSocket is open: on a busy machine that
 * opened 100–250 ms into start-up, after the first render had begun.
 *
 * `staleOn`: main's event that says an answer changed; one arriving before
 * the answer is taken drops it, and the taker asks afresh.
 */
export const START_READS: ReadonlyArray<{ channel: ChannelName; staleOn?: EventName }> = [
  { channel: 'settings:get', staleOn: 'settings:changed' },
  { channel: 'key:status', staleOn: 'key:changed' },
  { channel: 'demo:status', staleOn: 'demo:changed' },
  { channel: 'policies:active', staleOn: 'policies:active-changed' },
  { channel: 'playground:draft-get' },
]

/** main's events that carry one of START_READS' whole new state: a page that missed one shows a stale read. */
export const START_STATE_EVENTS: readonly EventName[] = START_READS.flatMap((r) => (r.staleOn ? [r.staleOn] : []))

/**
 * Where the web host answers START_READS (GET, same origin, with the session cookie). The answer also says how many
 * events main had broadcast (`seq`); the page sends it over the bridge's WebSocket once open (`{t: 'since', seq}`) and
 * gets the newest of each of START_STATE_EVENTS broadcast since (electron/web/state-events.ts).
 */
export const START_READS_PATH = '/bridge/start'
