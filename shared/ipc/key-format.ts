/**
 * Whether a pasted string looks like a Cerebras API key: `csk-` followed by
 * a long run of letters and digits. Only a warning: the user may still save
 * an unusual key on purpose (a proxy's key, a new format).
 */

export const CEREBRAS_KEY_PATTERN = /^csk-[a-z0-9]{32,}$/i

/** Shorter than this after `csk-` and it was probably cut off when copying. */
const MIN_BODY = 32

const OTHER_PROVIDERS: [RegExp, string][] = [
  [/^sk-ant-/i, 'an Anthropic key'],
  [/^sk-or-/i, 'an OpenRouter key'],
  [/^sk-/i, 'an OpenAI key'],
  [/^gsk_/i, 'a Groq key'],
  [/^xai-/i, 'an xAI key'],
  [/^hf_/i, 'a Hugging Face token'],
  [/^AIza/, 'a Google API key'],
]

/** A sentence saying why `key` does not look like a Cerebras key, or null if it does. */
export function keyFormatWarning(key: string): string | null {
  const k = key.trim()
  if (!k) return null
  if (CEREBRAS_KEY_PATTERN.test(k)) return null
  if (/^bearer\s/i.test(k)) return 'This starts with “Bearer ”: paste the key alone, without the word Bearer.'
  if (/^["'`]|["'`]$/.test(k)) return 'This has quotes around it: paste the key alone, without quotes.'
  if (/\s/.test(k)) return 'This has spaces or line breaks inside it; it was probably copied together with other text.'
  if (/^csk-/i.test(k)) {
    const body = k.slice(4)
    const odd = body.match(/[^a-z0-9]/i)?.[0]
    if (odd) return `Cerebras keys are csk- followed by letters and digits only; this one has “${odd}” in it.`
    if (body.length < MIN_BODY)
      return `This is shorter than a Cerebras key (csk- and ${MIN_BODY} or more letters and digits; this has ${body.length}): was it cut off when copying?`
  }
  for (const [pattern, what] of OTHER_PROVIDERS) {
    if (pattern.test(k)) return `This looks like ${what}, not a Cerebras key. Cerebras keys start with csk- (from cloud.cerebras.ai).`
  }
  return 'This does not look like a Cerebras key: those start with csk- followed by a long string of letters and digits (from cloud.cerebras.ai).'
}
