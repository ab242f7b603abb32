import { WaferError } from '@shared/ipc/errors'

import type { Handler } from '../ipc/dispatcher'
import type { PolicyServices } from '../services/policies'
import { askJudge } from '../services/policies/llm-judge'

/** Handlers for policy files and the policy applied to the app's requests. */

export interface PickFileOptions {
  mode: 'open' | 'save'
  defaultPath?: string
}

/** A native file dialog (Electron's dialog.showOpenDialog/showSaveDialog); absent in the web host. */
export type PickFile = (opts: PickFileOptions) => Promise<string | null>

export interface PolicyHandlerDeps {
  services: PolicyServices
  pickFile?: PickFile
}

export interface PolicyHandlers {
  'policies:read': Handler<'policies:read'>
  'policies:write': Handler<'policies:write'>
  'policies:pick': Handler<'policies:pick'>
  'policies:active': Handler<'policies:active'>
  'policies:activate': Handler<'policies:activate'>
  'policies:llm-check': Handler<'policies:llm-check'>
}

export function createPolicyHandlers(deps: PolicyHandlerDeps): PolicyHandlers {
  const { files, active } = deps.services
  let benchCalls = 0
  return {
    'policies:read': ({ path }) => files.read(path),
    'policies:write': async (args) => {
      const written = await files.write(args)
      // Saving the active policy applies it at once (the status bar shows it).
      await active.noteWritten(written.path)
      return written
    },
    'policies:pick': async ({ mode, defaultPath }) => {
      if (!deps.pickFile) return { available: false, path: null }
      const picked = await deps.pickFile({ mode, ...(defaultPath ? { defaultPath } : {}) })
      return { available: true, path: picked }
    },
    'policies:active': () => active.status(),
    'policies:activate': ({ path }) => active.activate(path),
    'policies:llm-check': async (args) => {
      const judge = deps.services.judge()
      if (!judge) throw new WaferError('internal', 'The LLM injection check is not connected to Cerebras yet.')
      return askJudge(judge, args, `bench-llm-check-${++benchCalls}`)
    },
  }
}

/** The part of Electron's `dialog` used for policy files (structural, so this file does not import electron). */
export interface NativeFileDialog {
  showOpenDialog(opts: {
    title?: string
    defaultPath?: string
    properties: Array<'openFile'>
    filters: Array<{ name: string; extensions: string[] }>
  }): Promise<{ canceled: boolean; filePaths: string[] }>
  showSaveDialog(opts: {
    title?: string
    defaultPath?: string
    filters: Array<{ name: string; extensions: string[] }>
  }): Promise<{ canceled: boolean; filePath?: string }>
}

/** A PickFile over Electron's dialog: `pickFile: nativePickFile(dialog)` in createAppServices' deps. */
export function nativePickFile(dialog: NativeFileDialog): PickFile {
  const filters = [{ name: 'Policy YAML', extensions: ['yaml', 'yml'] }]
  return async ({ mode, defaultPath }) => {
    if (mode === 'open') {
      const r = await dialog.showOpenDialog({ title: 'Open a policy file', properties: ['openFile'], filters, ...(defaultPath ? { defaultPath } : {}) })
      return r.canceled ? null : (r.filePaths[0] ?? null)
    }
    const r = await dialog.showSaveDialog({ title: 'Save the policy as', filters, ...(defaultPath ? { defaultPath } : {}) })
    return r.canceled ? null : (r.filePath ?? null)
  }
}
