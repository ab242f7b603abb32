/**
 * The renderer's Content-Security-Policy. The renderer never calls the
 * network itself: everything goes through main, so connect-src is 'self'
 * (the web host's own WebSocket bridge) and nothing remote is allowed.
 * Inline styles are allowed for CodeMirror and recharts, which set style
 * attributes; scripts never run inline.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * The CSP for index.html's meta tag (it holds for file:// loads too): the
 * same policy less frame-ancestors, which browsers ignore in a meta tag
 * (logging an error on every load). The header carries it.
 */
export const CSP_META = CSP.split('; ')
  .filter((d) => !d.startsWith('frame-ancestors '))
  .join('; ')

/** Dev mode loads from the Vite server, whose HMR socket needs ws: on loopback. */
export function devCsp(devServerUrl: string): string {
  const u = new URL(devServerUrl)
  return CSP.replace("connect-src 'self'", `connect-src 'self' ws://${u.host} ${u.origin}`)
}
