import { isCatalogOnlyKind, isEnforcedKind, KIND_INFO, type LintResult, targetModel } from '@shared/policy'

/**
 * What the visual form shows, read from the linted document (never from the
 * form's own state), so a change typed in YAML appears in the form at once.
 * Values are read defensively: a half-edited document may hold anything.
 */

type Plain = Record<string, unknown>
const isObj = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v)
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined)
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
export const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined)

export function get(root: unknown, path: ReadonlyArray<string | number>): unknown {
  let cur = root
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg]
    else if (isObj(cur)) cur = cur[String(seg)]
    else return undefined
  }
  return cur
}

export interface ChainEntry {
  index: number
  kind: string
  status: 'enforced' | 'catalog' | 'unknown'
  /** Has a `policy.<kind>` block. */
  hasBlock: boolean
  summary?: string
}

export interface TargetEntry {
  index: number
  id: string
  provider: string
  model?: string
  /** The model it calls (from `cerebras:chat:<model>` or `model`). */
  effectiveModel?: string
  baseUrl?: string
  secretSource: 'env' | 'store' | 'none'
  secretName: string
  format?: string
}

export interface FormModel {
  /** False while the YAML has syntax errors or is not a config document. */
  editable: boolean
  reason?: string
  shape: LintResult['shape']
  pack: { name?: string; version?: string; enabled?: boolean; description?: string }
  chain: ChainEntry[]
  /** Blocks under `policy:` by kind (plain values). */
  blocks: Record<string, unknown>
  /** Kinds with a block but not in the chain. */
  unchained: string[]
  targets: TargetEntry[]
  fallback: { strategy?: string; max_retries?: number; retry_on: string[] } | null
  hasProviders: boolean
}

export function formModel(lint: LintResult): FormModel {
  const syntax = lint.parsed.doc.errors.length > 0
  const root: unknown = lint.shape === 'config' ? lint.config : undefined
  const editable = !syntax && (lint.shape === 'config' || (lint.shape === 'invalid' && lint.parsed.text.trim() === ''))
  const reason = syntax
    ? 'The YAML has a syntax error; fix it in the editor and the form comes back.'
    : lint.shape === 'single-policy'
      ? 'This is a single-policy document; edit it in YAML (the form edits full configs).'
      : lint.shape === 'invalid' && lint.parsed.text.trim() !== ''
        ? 'The document is not a mapping with pack and policies; edit it in YAML.'
        : undefined

  const blocks = isObj(get(root, ['policy'])) ? (get(root, ['policy']) as Plain) : {}
  const chainRaw = get(root, ['policies', 'chain'])
  const chain: ChainEntry[] = (Array.isArray(chainRaw) ? chainRaw : []).map((k, index) => {
    const kind = str(k) ?? ''
    const status = isEnforcedKind(kind) ? 'enforced' : isCatalogOnlyKind(kind) ? 'catalog' : 'unknown'
    return { index, kind, status, hasBlock: kind in blocks, ...(isEnforcedKind(kind) ? { summary: KIND_INFO[kind].summary } : {}) }
  })
  const inChain = new Set(chain.map((c) => c.kind))
  const targetsRaw = get(root, ['providers', 'targets'])
  const targets: TargetEntry[] = (Array.isArray(targetsRaw) ? targetsRaw : []).map((t, index) => {
    const provider = str(get(t, ['provider'])) ?? ''
    const model = str(get(t, ['model']))
    const env = str(get(t, ['secret_key_ref', 'env']))
    const store = str(get(t, ['secret_key_ref', 'store']))
    return {
      index,
      id: str(get(t, ['id'])) ?? '',
      provider,
      ...(model !== undefined ? { model } : {}),
      effectiveModel: provider ? targetModel({ provider, model }) : model,
      baseUrl: str(get(t, ['base_url'])),
      secretSource: env !== undefined ? 'env' : store !== undefined ? 'store' : 'none',
      secretName: env ?? store ?? '',
      format: str(get(t, ['format'])),
    }
  })
  const fb = get(root, ['providers', 'fallback'])
  const retryOn = get(fb, ['retry_on'])
  return {
    editable,
    ...(reason ? { reason } : {}),
    shape: lint.shape,
    pack: {
      name: str(get(root, ['pack', 'name'])),
      version: str(get(root, ['pack', 'version'])),
      enabled: bool(get(root, ['pack', 'enabled'])),
      description: str(get(root, ['pack', 'description'])),
    },
    chain,
    blocks,
    unchained: Object.keys(blocks).filter((k) => !inChain.has(k)),
    targets,
    fallback: isObj(fb) ? { strategy: str(fb.strategy), max_retries: num(fb.max_retries), retry_on: Array.isArray(retryOn) ? retryOn.map(String) : [] } : null,
    hasProviders: isObj(get(root, ['providers'])),
  }
}
