// The preload bridge, exposed as `window.wafer`. ipcRenderer itself never
// leaves this file. Bundled whole (sandboxed preloads cannot require modules).
import { contextBridge, ipcRenderer } from 'electron'

import { buildPreloadApi } from './build-api'

contextBridge.exposeInMainWorld(
  'wafer',
  buildPreloadApi((channel, args) => ipcRenderer.invoke(channel, args), ipcRenderer),
)
