import { announcedKind, classifyEndpoint, ENDPOINT_HEADER, type RunEndpoint } from '@shared/endpoint'

/**
 * Which endpoint each recent request went to, so the run it becomes is saved
 * with it whoever saves it (the renderer after a playground or compare run,
 * main after a batch cell). Main notes the base URL in force when a request
 * starts; the responses it gets say whether a server announced itself as a
 * fake or a replay (ENDPOINT_HEADER), per origin. Bounded: old entries fall out.
 */

const MAX_REMEMBERED = 10_000
const MAX_ORIGINS = 200

export class RunEndpoints {
  private readonly baseUrls = new Map<string, string>()
  private readonly announced = new Map<string, 'fake' | 'replay'>()

  /** Remember that `requestId` went to `baseUrl`. */
  noteRequest(requestId: string, baseUrl: string): void {
    this.baseUrls.delete(requestId)
    this.baseUrls.set(requestId, baseUrl)
    if (this.baseUrls.size > MAX_REMEMBERED) this.baseUrls.delete(this.baseUrls.keys().next().value!)
  }

  /** A fetch that notes what each origin says it is (the response itself is passed on untouched). */
  observe(inner: typeof fetch): typeof fetch {
    return async (input, init) => {
      const response = await inner(input, init)
      this.noteResponse(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, response.headers)
      return response
    }
  }

  noteResponse(url: string, headers: Pick<Headers, 'get'>): void {
    let origin: string
    try {
      origin = new URL(url).origin
    } catch {
      return
    }
    const kind = announcedKind(headers.get(ENDPOINT_HEADER))
    this.announced.delete(origin)
    if (kind) this.announced.set(origin, kind)
    if (this.announced.size > MAX_ORIGINS) this.announced.delete(this.announced.keys().next().value!)
  }

  /**
   * The endpoint of a request this process sent; null when it was not noted
   * (then the caller's own value stands). `demo`: the built-in demo served it.
   */
  endpointOf(requestId: string, demo: boolean): RunEndpoint | null {
    const baseUrl = this.baseUrls.get(requestId)
    if (baseUrl === undefined) return demo ? { kind: 'demo', host: '' } : null
    let origin: string | null = null
    try {
      origin = new URL(baseUrl).origin
    } catch {
      // classifyEndpoint says custom.
    }
    return classifyEndpoint(baseUrl, { demo, announced: origin ? this.announced.get(origin) : null })
  }

  /** The run with the endpoint its request went to, when this process sent it. */
  apply<R extends { id: string; demo?: true; endpoint?: RunEndpoint | null }>(run: R): R {
    const endpoint = this.endpointOf(run.id, run.demo === true)
    return endpoint ? { ...run, endpoint } : run
  }
}
