import { CATALOG_SNAPSHOT, deprecationInfo } from '@shared/catalog'
import type { PublicModel } from '@shared/ipc/domains/models'
import { useEffect, useState } from 'react'

import { api } from '../../api'

/**
 * The models the picker offers: the bundled catalog (deprecated ones
 * marked, retired ones last) plus any model the live lists name that the
 * catalog does not know. Any id may still be typed by hand.
 */

export interface ModelOption {
  id: string
  label: string
  note: string | null
  retired: boolean
}

let live: PublicModel[] | null = null
let accessible: string[] | null = null
let fetching: Promise<void> | null = null
const listeners = new Set<() => void>()

/** The live public catalog, once main has fetched it (null until then or if it failed). */
export function publicModels(): PublicModel[] | null {
  return live
}

function refresh(): Promise<void> {
  fetching ??= Promise.allSettled([api.modelsPublic({}), api.modelsList({})]).then(([pub, acc]) => {
    if (pub.status === 'fulfilled') live = pub.value.models
    if (acc.status === 'fulfilled') accessible = acc.value.models.map((m) => m.id)
    listeners.forEach((l) => l())
  })
  return fetching
}

export function modelOptions(today = new Date()): ModelOption[] {
  const options: ModelOption[] = CATALOG_SNAPSHOT.models.map((m) => {
    const dep = deprecationInfo(m.id, today)
    const note = dep
      ? dep.state === 'retired'
        ? `retired${dep.retiresOn ? ` ${dep.retiresOn}` : ''} → ${dep.replacement}`
        : `deprecated, retires ${dep.retiresOn}`
      : m.status === 'preview'
        ? 'preview'
        : m.dedicatedOnly
          ? 'dedicated only'
          : null
    return { id: m.id, label: m.name, note, retired: dep?.state === 'retired' }
  })
  const known = new Set(options.map((o) => o.id))
  for (const id of [...(accessible ?? []), ...(live ?? []).map((m) => m.id)]) {
    if (!known.has(id)) {
      known.add(id)
      options.push({ id, label: id, note: 'from your account', retired: false })
    }
  }
  return options.sort((a, b) => Number(a.retired) - Number(b.retired))
}

/** Model options that update once the live lists arrive. */
export function useModelOptions(): ModelOption[] {
  const [, bump] = useState(0)
  useEffect(() => {
    const l = () => bump((n) => n + 1)
    listeners.add(l)
    void refresh()
    return () => void listeners.delete(l)
  }, [])
  return modelOptions()
}
