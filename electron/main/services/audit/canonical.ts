/**
 * The one serialisation record and checkpoint hashes are computed over:
 * JSON with object keys sorted by UTF-16 code unit (plain `sort()`), no whitespace, `undefined`
 * members left out. Hashes must not depend on property insertion order or on
 * how a column's JSON text happened to be spaced, so the verifier rebuilds
 * this form from the stored values rather than hashing stored text.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$')
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      // NaN and ±Infinity have no JSON form; refusing them keeps hashing total.
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} cannot be serialised`)
      return JSON.stringify(value)
    case 'object': {
      if (Array.isArray(value)) {
        return '[' + value.map((v, i) => (v === undefined ? 'null' : write(v, `${path}[${i}]`))).join(',') + ']'
      }
      const proto = Object.getPrototypeOf(value)
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(`${path}: only plain objects can be serialised`)
      }
      const obj = value as Record<string, unknown>
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort()
      return '{' + keys.map((k) => JSON.stringify(k) + ':' + write(obj[k], `${path}.${k}`)).join(',') + '}'
    }
    default:
      throw new TypeError(`${path}: a ${typeof value} cannot be serialised`)
  }
}
