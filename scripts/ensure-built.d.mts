// Types for ensure-built.mjs (plain JavaScript: bin/wafer.mjs runs it without a TypeScript loader).
export type BuildTarget = 'main' | 'renderer'
export declare const root: string
export declare const TARGETS: Record<BuildTarget, { outputs: string[]; sources: string[]; command: string[] }>
/** `at`: the checkout (default: this one). */
export declare function isStale(name: BuildTarget, at?: string): boolean
export declare function ensureBuilt(name: BuildTarget, label: string, at?: string): void
