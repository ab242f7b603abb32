/**
 * Links the app may hand to the system browser: https only, parsed with the
 * URL parser (never string matching), without credentials.
 */
export function parseExternalUrl(raw: string): URL | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (url.protocol !== 'https:') return null
  if (url.username || url.password) return null
  if (!url.hostname) return null
  return url
}
