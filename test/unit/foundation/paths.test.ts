import path from 'node:path'

import { defaultAuditDbPath, defaultUserDataDir, defaultWebUserDataDir, homeDirOf } from '@main/paths'
import { PolicyFileService } from '@main/services/policies/policy-files'
import { describe, expect, it } from 'vitest'

describe('where Wafer keeps its data', () => {
  it('comes only from the environment it is given, never from the real home directory', () => {
    expect(() => defaultUserDataDir({}, 'linux')).toThrow(/HOME is not set.*WAFER_USER_DATA/)
    expect(() => defaultAuditDbPath({})).toThrow(/HOME is not set/)
    expect(() => defaultWebUserDataDir({}, 'darwin')).toThrow(/HOME is not set/)
    expect(homeDirOf({}, 'linux')).toBeUndefined()
  })

  it('follows Electron per platform', () => {
    expect(defaultUserDataDir({ HOME: '/h' }, 'linux')).toBe(path.join('/h', '.config', 'Wafer Console'))
    expect(defaultUserDataDir({ HOME: '/h', XDG_CONFIG_HOME: '/x' }, 'linux')).toBe(path.join('/x', 'Wafer Console'))
    expect(defaultUserDataDir({ HOME: '/h' }, 'darwin')).toBe(path.join('/h', 'Library', 'Application Support', 'Wafer Console'))
    expect(defaultUserDataDir({ APPDATA: 'C:\\A' }, 'win32')).toBe(path.join('C:\\A', 'Wafer Console'))
    expect(defaultUserDataDir({ USERPROFILE: '/u' }, 'win32')).toBe(path.join('/u', 'AppData', 'Roaming', 'Wafer Console'))
    expect(defaultWebUserDataDir({ HOME: '/h' }, 'linux')).toBe(path.join('/h', '.config', 'wafer-console-web'))
  })

  it('lets WAFER_USER_DATA and WAFER_AUDIT_DB override everything', () => {
    expect(defaultUserDataDir({ WAFER_USER_DATA: '/d' }, 'linux')).toBe('/d')
    expect(defaultWebUserDataDir({ WAFER_USER_DATA: '/d' }, 'linux')).toBe('/d')
    expect(defaultAuditDbPath({ WAFER_USER_DATA: '/d' })).toBe(path.join('/d', 'audit', 'audit.db'))
    expect(defaultAuditDbPath({ WAFER_AUDIT_DB: '/a.db' })).toBe('/a.db')
  })

  it('refuses a ~ policy path clearly when no home directory is known', () => {
    const files = new PolicyFileService({})
    expect(() => files.resolve('~/p.yaml')).toThrow(/no home directory is set/)
    expect(new PolicyFileService({ homeDir: '/h' }).resolve('~/p.yaml')).toBe(path.join('/h', 'p.yaml'))
  })
})
