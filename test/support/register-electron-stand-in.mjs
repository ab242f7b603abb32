// node --import ./register-electron-stand-in.mjs main.js: `electron` is the recording stand-in.
import { register } from 'node:module'

register('./electron-stand-in-hooks.mjs', import.meta.url)
