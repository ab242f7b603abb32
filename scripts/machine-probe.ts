// What this machine's basic operations cost at the moment, for reading a bench report by (scripts/bench.ts).
//
// Why these three: this project's test machines are virtual machines shared with others, and what slows down in their
// busy hours is not arithmetic but what goes through the hypervisor: a system call (every socket read and write, every
// thread wake-up, every file write) and the first touch of a page of fresh memory (a new process, a grown heap). In one
// busy hour a system call took 2.8 µs and a first touch 3.7 µs a page, while 50 million additions took 65 ms, as on
// any machine; the loop earlier reports were read by (300 million additions at a script's top level, which allocate
// as they go) took 4–5 s that hour and 0.55–0.63 s in quiet ones.
import { closeSync, fstatSync, openSync } from 'node:fs'

export interface MachineCosts {
  /** A trivial system call made from JavaScript (fstat of an open file, Node's own part included), µs. */
  syscallUs: number
  /** The first write to a page of fresh memory (its page fault), µs per 4 KB page. */
  pageFaultUs: number
  /** 50 million additions in registers, ms: what the machine's processor does when nothing else is in the way. */
  arithmeticMs: number
}

const SYSCALLS = 100_000
const FRESH_BYTES = 64 * 1024 * 1024
const PAGE = 4096
const ADDITIONS = 50_000_000

export function measureMachine(): MachineCosts {
  const fd = openSync(new URL(import.meta.url), 'r')
  let started = performance.now()
  try {
    for (let i = 0; i < SYSCALLS; i++) fstatSync(fd)
  } finally {
    closeSync(fd)
  }
  const syscallUs = ((performance.now() - started) * 1000) / SYSCALLS

  // Large enough that the allocator maps it fresh from the kernel, untouched: each page faults at its first write.
  const fresh = Buffer.alloc(FRESH_BYTES)
  started = performance.now()
  for (let i = 0; i < FRESH_BYTES; i += PAGE) fresh[i] = 1
  const pageFaultUs = ((performance.now() - started) * 1000) / (FRESH_BYTES / PAGE)

  started = performance.now()
  let sum = 0
  for (let i = 0; i < ADDITIONS; i++) sum += i
  const arithmeticMs = performance.now() - started
  // Used, so the loop is not optimised away.
  if (sum < 0 || fresh[0] !== 1) throw new Error('unreachable')
  return { syscallUs, pageFaultUs, arithmeticMs }
}
