import { promises as fsp } from 'node:fs'

import { MAX_POLICY_FILE_BYTES } from '@shared/ipc/domains/policies'

/** A policy file that cannot be one: too large, not a file, not UTF-8. */
export class PolicyFileReadError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PolicyFileReadError'
  }
}

const mb = (n: number) => `${(n / 1_000_000).toFixed(1)} MB`

/**
 * A policy file's text, read with the app's cap (MAX_POLICY_FILE_BYTES, as
 * the Policies screen): a larger file is refused before it is read, and no
 * more than the cap is ever read (a file growing meanwhile included), so a
 * 50 MB file costs neither time nor memory in lint, test or the gateway.
 */
export async function readPolicyFile(file: string, cap = MAX_POLICY_FILE_BYTES): Promise<string> {
  const handle = await fsp.open(file, 'r')
  try {
    const st = await handle.stat()
    if (st.isDirectory()) throw new PolicyFileReadError(`${file} is a folder, not a policy file.`)
    if (!st.isFile()) throw new PolicyFileReadError(`${file} is not a regular file.`)
    const tooLarge = () =>
      new PolicyFileReadError(`${file} is ${st.size > cap ? mb(st.size) : `over ${mb(cap)}`}; policy files are at most ${mb(cap)}, so this is not one.`)
    if (st.size > cap) throw tooLarge()
    const buf = Buffer.alloc(cap + 1)
    let filled = 0
    while (filled < buf.length) {
      const { bytesRead } = await handle.read(buf, filled, buf.length - filled, filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    if (filled > cap) throw tooLarge()
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, filled))
    } catch {
      throw new PolicyFileReadError(`${file} is not UTF-8 text, so it cannot be a policy file.`)
    }
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  } finally {
    await handle.close()
  }
}
