import type { App, Session, Shell, WebContents } from 'electron'

import { CSP } from './csp'
import { parseExternalUrl } from './external-links'

/**
 * Lock down every web contents the app creates: no navigation away from the
 * app, no new windows (https links go to the system browser after parsing),
 * no permission ever granted, and the CSP on every response.
 */
export function hardenApp(app: Pick<App, 'on'>, shell: Pick<Shell, 'openExternal'>, isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault()
    })
    // Sub-frames navigate through will-frame-navigate, not will-navigate.
    contents.on('will-frame-navigate', (event) => {
      if (!isAppUrl(event.url)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(({ url }) => {
      const external = parseExternalUrl(url)
      if (external) void shell.openExternal(external.toString())
      return { action: 'deny' }
    })
  })
}

/**
 * Every permission, device and screen-capture request is refused: the app
 * needs none. Device pickers (HID, serial, USB) are cancelled before a
 * chooser could appear.
 */
export function hardenSession(session: Session, csp: string = CSP): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
  // Calling back without a video or audio source refuses the capture.
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}))
  session.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault()
    callback()
  })
  session.on('select-serial-port', (event, _portList, _wc, callback) => {
    event.preventDefault()
    callback('')
  })
  session.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault()
    callback()
  })
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [csp],
      },
    })
  })
}
