/** Save text as a file through the browser's (or Electron's) download, with no network involved. */
export function downloadText(filename: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  // Revoked on the next tick: the download has taken its copy by then.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}
