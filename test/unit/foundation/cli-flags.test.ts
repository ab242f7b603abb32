import { intFlag, parseFlags } from '@cli/flags'
import { describe, expect, it } from 'vitest'

const spec = { values: ['db', 'listen', 'max-concurrency'], lists: ['policy-config'], booleans: ['json'] }

describe('wafer flags', () => {
  it('reads --flag value and --flag=value, repeats in order, and booleans', () => {
    const f = parseFlags(['--db', 'a.db', '--listen=127.0.0.1:9', '--policy-config', 'base.yaml', '--policy-config=team.yaml', '--json'], spec)
    expect(f.error).toBeUndefined()
    expect(f.values).toEqual({ db: 'a.db', listen: '127.0.0.1:9' })
    expect(f.lists).toEqual({ 'policy-config': ['base.yaml', 'team.yaml'] })
    expect([...f.booleans]).toEqual(['json'])
  })

  it('says what is wrong, in one line: unknown flags, stray words, missing or empty values', () => {
    expect(parseFlags(['--wat'], spec).error).toBe("unknown argument '--wat'")
    expect(parseFlags(['stray'], spec).error).toBe("unknown argument 'stray'")
    expect(parseFlags(['--db'], spec).error).toBe('--db needs a value')
    expect(parseFlags(['--db', '--json'], spec).error).toBe('--db needs a value')
    expect(parseFlags(['--db='], spec).error).toBe('--db needs a value')
    expect(parseFlags(['--policy-config='], spec).error).toBe('--policy-config needs a value')
  })

  it('reads whole numbers with a lower bound', () => {
    const f = (v: string) => intFlag(parseFlags(['--max-concurrency', v], spec), 'max-concurrency', 1)
    expect(f('16')).toBe(16)
    expect(f('0')).toBe('--max-concurrency needs a whole number ≥ 1')
    expect(f('2.5')).toMatch(/whole number/)
    expect(f('many')).toMatch(/whole number/)
    expect(intFlag(parseFlags([], spec), 'max-concurrency', 1)).toBeUndefined()
  })
})
