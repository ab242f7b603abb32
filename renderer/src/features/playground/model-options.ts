import { CATALOG_SNAPSHOT, deprecationInfo } from '@shared/catalog'
import type { PublicModel } from '@shared/ipc/domains/models'
import { useEffect } from 'react'

import { ensureCatalogLoaded, useCatalogStore } from '../../lib/catalog-store'

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

/** The live public catalog, once main has fetched it (null until then or if it failed): the catalog store's, fetched once for every screen. */
export function publicModels(): PublicModel[] | null {
  return useCatalogStore.getState().publicList?.models ?? null
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
  const { accountList, publicList } = useCatalogStore.getState()
  for (const id of [...(accountList?.models ?? []), ...(publicList?.models ?? [])].map((m) => m.id)) {
    if (!known.has(id)) {
      known.add(id)
      options.push({ id, label: id, note: 'from your account', retired: false })
    }
  }
  return options.sort((a, b) => Number(a.retired) - Number(b.retired))
}

/** Model options that update once the live lists arrive (and when a new key or the demo brings others). */
export function useModelOptions(): ModelOption[] {
  useCatalogStore((c) => c.publicList)
  useCatalogStore((c) => c.accountList)
  useEffect(() => void ensureCatalogLoaded(), [])
  return modelOptions()
}
