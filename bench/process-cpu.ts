// CPU time another process has used, thread by thread, from Linux's /proc (…/task/TID/schedstat: nanoseconds on a
// processor). Elsewhere there is no such file and the figures are null (their rows show "—").
import { readdirSync, readFileSync } from 'node:fs'

/** Nanoseconds on a processor so far, by thread id; the process's first thread (its event loop) is `pid`. */
export type ThreadCpu = Map<number, number>

export function threadCpu(pid: number): ThreadCpu | null {
  let tids: string[]
  try {
    tids = readdirSync(`/proc/${pid}/task`)
  } catch {
    return null
  }
  const out: ThreadCpu = new Map()
  for (const tid of tids) {
    try {
      out.set(Number(tid), Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]))
    } catch {
      // the thread ended between the listing and the read: its time is not counted
    }
  }
  return out
}

/** Milliseconds of CPU between two readings: the event-loop thread's and the whole process's (threads started in between from zero). */
export function cpuBetween(pid: number, before: ThreadCpu | null, after: ThreadCpu | null): { loopMs: number; processMs: number } | null {
  if (!before || !after) return null
  let processNs = 0
  for (const [tid, ns] of after) processNs += ns - (before.get(tid) ?? 0)
  const loopNs = (after.get(pid) ?? 0) - (before.get(pid) ?? 0)
  return { loopMs: loopNs / 1e6, processMs: processNs / 1e6 }
}
