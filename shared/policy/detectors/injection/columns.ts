/**
 * Parallel Int32Array columns of one length carved out of one buffer. A typed
 * array longer than 64 bytes gets a backing store of its own outside the
 * heap, which costs about a microsecond to allocate (and more to free, on a
 * helper thread): on a 10 KB prompt the injection scan made some twenty of
 * them, more than it spent filling them. One buffer per set of columns pays
 * that once.
 */
export function int32Columns(count: number, length: number): Int32Array[] {
  const all = new Int32Array(count * length)
  const columns: Int32Array[] = []
  for (let k = 0; k < count; k++) columns.push(all.subarray(k * length, (k + 1) * length))
  return columns
}
