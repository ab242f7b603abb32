import { api } from '../api'
import { StreamHub } from './stream-hub'

let hub: StreamHub | undefined

/** The app's one stream hub, listening to main's chat events from first use. */
export function appStreamHub(): StreamHub {
  return (hub ??= new StreamHub(api))
}
