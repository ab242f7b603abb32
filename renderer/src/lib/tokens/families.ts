/**
 * Which tokenizer counts a model's tokens. `exact` means the package ships
 * that model family's own vocabulary; otherwise the count is an estimate
 * with the closest vocabulary we have (and the UI says so).
 */

export type TokenizerFamily = 'o200k_harmony' | 'o200k_base' | 'llama3' | 'qwen3'

export interface FamilyChoice {
  family: TokenizerFamily
  exact: boolean
  /** Shown next to the count. */
  label: string
}

export function tokenizerFor(modelId: string): FamilyChoice {
  const id = modelId.toLowerCase()
  if (id.startsWith('gpt-oss')) return { family: 'o200k_harmony', exact: true, label: 'o200k_harmony (gpt-oss)' }
  if (/^llama-?3(\.\d+)?-/.test(id) || /^llama3(\.\d+)?-/.test(id)) return { family: 'llama3', exact: true, label: 'Llama 3' }
  if (id.startsWith('llama')) return { family: 'llama3', exact: false, label: 'Llama 3 (estimate for this Llama)' }
  if (/^qwen-?3-/.test(id)) return { family: 'qwen3', exact: true, label: 'Qwen 3' }
  if (id.startsWith('qwen')) return { family: 'qwen3', exact: false, label: 'Qwen 3 (estimate for this Qwen)' }
  return { family: 'o200k_base', exact: false, label: 'o200k_base (estimate; no tokenizer for this model)' }
}

/**
 * Tokens the chat template adds around each message and to prime the
 * reply, per family (from each family's published template). Approximate:
 * the server may also add a system preamble we cannot see.
 */
export const TEMPLATE_OVERHEAD: Record<TokenizerFamily, { perMessage: number; priming: number }> = {
  // <|start|>role<|message|>…<|end|>, then <|start|>assistant
  o200k_harmony: { perMessage: 4, priming: 2 },
  o200k_base: { perMessage: 4, priming: 3 },
  // <|start_header_id|>role<|end_header_id|>\n\n…<|eot_id|>, BOS, then the assistant header
  llama3: { perMessage: 5, priming: 5 },
  // <|im_start|>role\n…<|im_end|>\n, then <|im_start|>assistant\n
  qwen3: { perMessage: 5, priming: 3 },
}
