/**
 * The one serialisation record and checkpoint hashes are computed over:
 * JSON with object keys sorted by UTF-16 code unit (plain `sort()`), no
 * whitespace, `undefined` members left out. Hashes must not depend on
 * property insertion order or on how a column's JSON text happened to be
 * spaced, so the verifier rebuilds this form from the stored values rather
 * than hashing stored text. It runs for every appended record, hence the
 * plain loops.
 */
export function canonicalJson(value: unknown): string {
  try {
    return write(value)
  } catch (err) {
    if (err instanceof UnserialisableError) throw new TypeError(`$${err.path}: ${err.message}`, { cause: err })
    throw err
  }
}

/** Carries the path out of the recursion, built only when something is wrong. */
class UnserialisableError extends Error {
  path = ''
}

function write(value: unknown): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      // NaN and ±Infinity have no JSON form; refusing them keeps hashing total.
      if (!Number.isFinite(value)) throw new UnserialisableError(`${value} cannot be serialised`)
      return JSON.stringify(value)
    case 'object':
      return Array.isArray(value) ? writeArray(value) : writeObject(value as Record<string, unknown>)
    default:
      throw new UnserialisableError(`a ${typeof value} cannot be serialised`)
  }
}

function writeArray(arr: unknown[]): string {
  let out = '['
  for (let i = 0; i < arr.length; i++) {
    if (i > 0) out += ','
    try {
      out += arr[i] === undefined ? 'null' : write(arr[i])
    } catch (err) {
      if (err instanceof UnserialisableError) err.path = `[${i}]${err.path}`
      throw err
    }
  }
  return out + ']'
}

function writeObject(obj: Record<string, unknown>): string {
  const proto = Object.getPrototypeOf(obj)
  if (proto !== Object.prototype && proto !== null) throw new UnserialisableError('only plain objects can be serialised')
  const keys = Object.keys(obj).sort()
  let out = '{'
  let first = true
  for (const k of keys) {
    const v = obj[k]
    if (v === undefined) continue
    if (!first) out += ','
    first = false
    try {
      out += JSON.stringify(k) + ':' + write(v)
    } catch (err) {
      if (err instanceof UnserialisableError) err.path = `.${k}${err.path}`
      throw err
    }
  }
  return out + '}'
}
