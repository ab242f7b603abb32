/** Badge colour of a verdict: block red, redact amber, log blue-grey, allow green. */
export function verdictClass(verdict: string): string {
  switch (verdict) {
    case 'block':
      return 'danger'
    case 'redact':
      return 'warn'
    case 'log':
      return 'pol-log'
    default:
      return 'ok'
  }
}
