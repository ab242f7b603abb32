/**
 * The injection detector's word list: concept words (what an injection talks
 * about) and anchor words (a word every match of a phrase rule contains, so
 * the rule's regular expression only runs around them). Compiled once into
 * hash tables that the tokenizer probes without allocating.
 */

// ---------------------------------------------------------------- concept bits (their own bit set)
export const D = 1 << 0 // dismiss: ignore, no longer apply, withdrawn …
export const T = 1 << 1 // the model's instructions (weak: limits, guidance, context …)
export const TS = 1 << 2 // … strongly: instructions, rules, system prompt, what you were told
export const R = 1 << 3 // reference back: previous, earlier, initial, all, at the start …
export const SELF = 1 << 4 // my, our: the user's own earlier words
export const C = 1 << 5 // role change addressed to the model
export const U = 1 << 6 // unrestricted, uncensored, no rules …
export const LV = 1 << 7 // reveal, print, repeat …
export const LVS = 1 << 8 // soft reveal verbs: summarize, translate, list, describe
export const LT = 1 << 9 // a hidden prompt: system prompt, preprompt, your instructions …
export const LR = 1 << 10 // hidden, initial, verbatim, at the beginning …
export const NEG = 1 << 11 // don't, never, not
export const DESC = 1 << 12 // descriptive subjects: the model keeps …, it sometimes …
export const YOU = 1 << 13 // the model addressed: you, your
export const FOLLOW = 1 << 14 // a demand to obey the writer from now on: from here on, only me, do what I say
export const ADDR = 1 << 15 // an AI addressed in the third person, as in text planted for one: "AI reading this", "note to the assistant"
export const GEN = 1 << 16 // a generic target: everything, whatever came before, all of that
export const LTW = 1 << 17 // a prompt-ish target that may be anyone's: your rules, your guidelines
export const GIVEN = 1 << 18 // how instructions reach the model: given, told, loaded, operate under
export const Q = 1 << 19 // a question word: what, which
export const ADDRV = 1 << 20 // an AI named as such ("assistant", "language model"): an address only as a vocative ("Assistant, …")
export const DSTATE = 1 << 21 // a dismissal stated of its target ("… have been withdrawn"), not a verb acting on it
export const RM = 1 << 22 // a reference to the model's own set-up: developer, system, configured, built-in …
export const NOQ = 1 << 23 // without, no, zero, stripped …: before a limit noun, it says the limits are gone
export const PERS = 1 << 24 // a persona described: "an AI that …", "a bot with …", "a version of yourself"
export const ROLEV = 1 << 25 // verbs that cast a role: act, pretend, respond, imagine, assume …
export const LIMIT = 1 << 26 // what keeps a model safe: rules, filters, guidelines, ethics, guardrails …
export const WEAKD = 1 << 27 // dismissive verbs everyday work uses too: remove, drop, clear, skip, reset …

// ---------------------------------------------------------------- anchor bits (phrase rules)
export const A_NOUN = 1 << 13 // the noun of an override ("… previous instructions")
export const A_BACK = 1 << 14 // "ignore the above", "… everything", "… what you were told"
export const A_NEW = 1 << 15 // "new instructions:", "your real task is to"
export const A_FOLLOW = 1 << 16 // "follow mine instead"
export const A_ROLE = 1 << 17 // role changes
export const A_JB = 1 << 18 // jailbreak phrases strong on their own
export const A_LEAKV = 1 << 19 // reveal verbs
export const A_LEAKQ = 1 << 20 // "what is your …", "how were you instructed"
export const A_TPL = 1 << 21 // chat-template tokens
export const A_DELIM = 1 << 22 // fake delimiters
export const A_LABEL = 1 << 23 // role labels
export const A_ROLEKEY = 1 << 24 // "role": "system"
/** Words that mark a discussion about attacks rather than an attack. */
export const META = 1 << 25
// ---------------------------------------------------------------- gate bits: a second word a rule's match must also contain
export const G_OVERRIDE_VERB = 1 << 26 // a word of every OVERRIDE_VERB form
export const G_LEAK_OBJECT = 1 << 27 // a word of every LEAK_OBJECT form (and of LEAK_QUESTION's)
export const G_VOID = 1 << 28 // "… no longer apply", "… were a test"
export const G_TASK = 1 << 29 // "new instructions", "real task"
export const G_MARKER = 1 << 30 // a word of every jailbreak marker and assigned persona
/** All anchor, gate and META bits (the anchor bit set). */
export const ANCHOR_MASK = -1

const CONCEPTS: Array<[number, string[]]> = [
  [
    D,
    [
      'ignore', 'ignoring', 'disregard', 'disregarding', 'forget', 'forgetting', 'override', 'overriding', 'overrule', 'bypass', 'bypassing',
      'circumvent', 'discard', 'abandon', 'neglect', 'dismiss', 'overlook', 'overwrite', 'erase', 'scrap', 'ditch', 'nullify', 'revoke',
      'revoked', 'rescind', 'rescinded', 'withdraw', 'withdrawn', 'retract', 'retracted', 'void', 'voided', 'supersede', 'superseded',
      'unlearn', 'wipe', 'purge', 'drop', 'remove', 'removed', 'lift', 'lifted', 'disable', 'disabled', 'suspend', 'suspended', 'skip',
      'nevermind', 'never mind', 'set aside', 'put aside', 'to one side', 'aside', 'throw away', 'throw out', 'pay no attention', 'pay no mind',
      "doesn't matter", 'does not matter', "don't matter", 'do not matter', 'no longer matter', 'no longer matters', 'irrelevant',
      'not relevant', 'no longer relevant', 'no longer apply', 'no longer applies', "don't apply", 'do not apply', "doesn't apply",
      'does not apply', 'no longer valid', 'no longer in effect', 'no longer in force', 'no longer count', 'no longer counts', "don't count",
      'do not count', 'obsolete', 'outdated', 'invalid', 'null and void', 'cancelled', 'canceled', 'never happened', 'stop following',
      'stop obeying', 'stop respecting', 'stop honouring', 'stop honoring', 'stop applying', 'stop paying attention', "don't follow",
      'do not follow', 'dont follow', "don't obey", 'do not obey', 'do not adhere', "don't adhere", "don't respect", 'do not respect',
      'no longer follow', 'not bound by', 'no longer bound', 'free yourself from', 'no need to stick', "don't stick", 'do not stick',
      // fr, es, de, it, pt (accents folded)
      'ignorez', 'ignorer', 'oublie', 'oubliez', 'oublier', 'ne tiens pas compte', 'ne tenez pas compte', 'ignora', 'ignorar', 'olvida',
      'olvide', 'olvidar', 'omite', 'omitir', 'no hagas caso', 'haz caso omiso', 'ignoriere', 'ignorieren', 'vergiss', 'vergessen',
      'missachte', 'dimentica', 'dimenticare', 'esqueca', 'esquece', 'esquecer', 'desconsidere', 'non tenere conto',
      'non considerare', 'lascia perdere', 'olvidate', 'no tengas en cuenta', 'ignorez toutes', 'nicht beachten', 'annulla',
      'annullare', 'annulez', 'anula', 'anular', 'cancela',
    ],
  ],
  [
    T | TS,
    [
      'instructions', 'instruction', 'rules', 'guidelines', 'directives', 'directive', 'system prompt', 'system message', 'prompt',
      'preprompt', 'pre-prompt', 'programming', 'guardrails', 'what you were told', 'were told', 'told you', 'you were given',
      'consignes', 'regles', 'instrucciones', 'reglas', 'indicaciones', 'anweisungen', 'regeln', 'vorgaben', 'istruzioni', 'regole',
      'instrucoes', 'regras',
    ],
  ],
  [
    T,
    [
      'restrictions', 'restriction', 'constraints', 'constraint', 'limitations', 'limits', 'filters', 'policies', 'policy', 'safeguards',
      'guidance', 'orders', 'commands', 'context', 'configuration', 'setup', 'set up with', 'ethics', 'morals', 'principles', 'protocols',
      'directions', 'training', 'conditioning', 'guardrail', 'rule', 'guideline',
    ],
  ],
  [
    D | DSTATE,
    [
      'revoked', 'rescinded', 'withdrawn', 'retracted', 'voided', 'superseded', 'removed', 'lifted', 'disabled', 'suspended',
      "doesn't matter", 'does not matter', "don't matter", 'do not matter', 'no longer matter', 'no longer matters', 'irrelevant',
      'not relevant', 'no longer relevant', 'no longer apply', 'no longer applies', "don't apply", 'do not apply', "doesn't apply",
      'does not apply', 'no longer valid', 'no longer in effect', 'no longer in force', 'no longer count', 'no longer counts', "don't count",
      'do not count', 'obsolete', 'outdated', 'invalid', 'null and void', 'cancelled', 'canceled', 'never happened', 'void',
      'paused', 'deactivated', 'turned off', 'switched off', 'waived', 'on hold', 'not in effect', 'not valid', 'are not valid',
      'matter now', 'matter anymore', 'matter any more', 'count anymore',
      // "set X aside": the target sits before these
      'aside', 'to one side',
    ],
  ],
  [GIVEN, ['given', 'gave', 'handed', 'told', 'received', 'loaded', 'programmed', 'configured', 'instructed', 'operate', 'operating', 'trained', 'set up', 'deployed']],
  [Q, ['what', 'which', "what's", 'what is', 'what are', 'what was', 'what were', 'what did', 'what does']],
  [ADDRV, ['ai', 'assistant', 'language model', 'llm', 'chatbot', 'bot', 'model', 'ai system', 'ai model', 'ai agent', 'ai assistant', 'ai bot']],
  [WEAKD, ['remove', 'removed', 'drop', 'skip', 'lift', 'lifted', 'disable', 'disabled', 'suspend', 'suspended', 'wipe', 'purge', 'erase', 'scrap', 'ditch']],
  [GEN, ['everything', 'whatever', 'anything before', 'all of that', 'all of this', 'what came before', 'everything before', 'the above']],
  [
    R,
    [
      'previous', 'previously', 'prior', 'earlier', 'above', 'preceding', 'foregoing', 'aforementioned', 'former', 'initial', 'original',
      'existing', 'all', 'any', 'every', 'developer', 'developers', 'creator', 'creators', 'operator', 'operators', 'openai', 'default',
      'given', 'handed', 'configured', 'loaded', 'whatever', 'so far', 'up to now', 'until now', 'hidden', 'built-in', 'preset', 'system',
      'at the top', 'top of this',
      'safety', 'base', 'at the start', 'at the beginning', 'before this', 'before our', 'before my', 'started with', 'came with',
      // these name the model's own instructions, so they refer back by themselves
      'system prompt', 'system message', 'preprompt', 'programming', 'what you were told', 'told you', 'you were given',
      'precedentes', 'anterieures', 'toutes', 'tous', 'vos', 'tes', 'anteriores', 'previas', 'todas', 'todos', 'tus', 'sus', 'vorherigen',
      'bisherigen', 'alle', 'obigen', 'deine', 'ihre', 'precedenti', 'tutte', 'tue', 'suas', 'antes', 'avant', 'vorher',
    ],
  ],
  [
    RM,
    [
      'developer', 'developers', 'creator', 'creators', 'operator', 'operators', 'openai', 'system', 'built-in', 'preset', 'default',
      'configured', 'loaded', 'safety', 'base', 'came with', 'started with', 'set up with', 'deployed with', 'top of this chat',
      'top of this conversation', 'system prompt', 'system message', 'preprompt',
      'programming', 'what you were told', 'told you', 'you were given',
    ],
  ],
  [
    LIMIT,
    [
      'rules', 'rule', 'restrictions', 'restriction', 'filters', 'filter', 'guidelines', 'guideline', 'ethics', 'morals', 'guardrails',
      'guardrail', 'policies', 'policy', 'safeguards', 'censorship', 'boundaries', 'constraints', 'principles', 'content policy',
      'safety measures', 'safety guidelines', 'safety rules', 'safety filters', 'safety features', 'content filters', 'content filter',
      'content rules', 'ethical guidelines', 'moral restrictions', 'moral guidelines', 'refusals',
    ],
  ],
  [NOQ, ['no', 'without', 'zero', 'none', 'free of', 'freed from', 'stripped', 'removed', 'lacks', 'lacking', 'regardless of', 'sans', 'sin', 'ohne', 'senza', 'sem']],
  [
    PERS,
    [
      'an ai that', 'an ai with', 'an ai who', 'an ai whose', 'an ai called', 'an ai named', 'an ai from', 'a bot that', 'a bot with',
      'a bot who', 'a bot called', 'a bot named', 'an assistant that', 'an assistant with', 'an assistant who', 'an assistant whose',
      'a model that', 'a model with', 'a model trained', 'a chatbot that', 'a chatbot with', 'a chatbot called', 'a chatbot named',
      'a version of', 'version of you', 'version of yourself', 'an ai model', 'an unfiltered', 'an uncensored', 'an unrestricted',
      'an ai without', 'a bot without', 'an assistant without', 'a model without', 'a chatbot without',
    ],
  ],
  [
    ROLEV,
    ['act', 'pretend', 'roleplay', 'play', 'simulate', 'behave', 'become', 'respond', 'answer', 'reply', 'speak', 'talk', 'imagine', 'assume', 'channel', 'stay'],
  ],
  [SELF, ['my', 'our', 'mine']],
  [YOU, ['you', 'your', 'yours', 'yourself', "you're", 'youre', "you've", 'u', 'ur', 'tu', 'te', 'ti', 'du', 'dir', 'dich', 'vous']],
  [
    FOLLOW,
    [
      'respond only', 'reply only', 'answer only', 'only respond', 'only reply', 'only answer', 'just answer', 'just respond',
      'just reply', 'only with', 'from now on', 'from here on', 'from this point', 'from this moment', 'from this point on', 'from now', 'going forward', 'instead',
      'answer to me', 'do what i say', 'do as i say', 'follow mine', 'follow my', 'obey me', 'obey my', 'take orders', 'my word',
      'my instructions', 'my messages', 'my rules', 'my commands', 'new priority', 'new task', 'new instructions', 'your only job',
      'your one job', 'your new task', 'your task now', 'your real task', 'only to me', 'only what i', 'a partir de ahora',
      'desde ahora', 'a partir de maintenant', 'desormais', 'ab jetzt', 'von nun an', "d'ora in poi", 'a partir de agora', 'solo a lo',
      'nur noch', 'uniquement',
    ],
  ],
  [
    ADDR,
    [
      'ai reading', 'ais reading', 'assistant reading', 'assistants reading', 'model reading', 'note to the ai', 'note to any ai',
      'note to the assistant', 'note for the ai', 'note for any ai', 'to the ai', 'to any ai', 'any ai', 'automated assistant',
      'ai agents', 'ai reviewer', 'ai reviewers', 'ai processing', 'ai summarizing', 'llms', 'attention ai', 'attention assistant',
      'if you are an ai', 'chatbot reading', 'any language model', 'the language model reading', 'ai assistants',
    ],
  ],
  [
    C,
    [
      'you are now', "you're now", 'youre now', 'you are no longer', "you're no longer", 'you will be', 'you will act', 'you will now',
      'you are going to', 'from now on you', "from now on you're", 'from now on youre', 'from now on you are', 'from now on you will',
      'act as', 'act like', 'acting as', 'pretend', 'pretending', 'roleplay', 'role-play', 'role play', 'play the role', 'play the part',
      'simulate', 'behave as', 'behave like', 'become', 'imagine you', "imagine you're", 'imagine a', 'stay in character', 'in character',
      'persona', 'alter ego', 'your new name', 'your new identity', 'new identity', 'respond as', 'answer as', 'reply as', 'speak as',
      'switch to', 'switch into', 'we are playing a game', "we're playing a game", "let's play a game", "let's play pretend",
      'you are an ai', "you're an ai", 'you are a model', 'you are an assistant', "you're an assistant", 'you are a bot', 'two ais',
      'you are a', 'you are an', "you're a", "you're an", 'ur an', 'ur a', 'u are', "you'll be", 'you shall be', 'assume the role',
      'assume the persona', 'take on the persona', 'play as', 'respond only as', 'answer only as',
      'two personas', 'both personas', 'take on the role', 'take the persona', 'version of you', 'version of yourself', 'mode where',
      'tu es maintenant', 'ahora eres', 'eres ahora', 'du bist jetzt', 'bist du jetzt', 'sei ora', 'agora voce e',
    ],
  ],
  [
    U,
    [
      'uncensored', 'unfiltered', 'unrestricted', 'unbound', 'unchained', 'jailbroken', 'jailbreak', 'amoral', 'unethical', 'immoral',
      'lawless', 'evil', 'rogue', 'no restrictions', 'zero restrictions', 'without restrictions', 'no limits', 'zero limits',
      'without limits', 'no limitations', 'no rules', 'without rules', 'no filters', 'no filter', 'without filters', 'filters removed',
      'filters were removed', 'filters stripped', 'no ethics', 'no morals', 'without morals', 'no ethical', 'no moral', 'no censorship',
      'without censorship', 'no boundaries', 'no guidelines', 'without guidelines', 'no content policy', 'no content filter',
      'without content policies', 'without content policy', 'without any restrictions', 'without any limits', 'without any rules',
      'free from', 'free of', 'freed from', 'broken free', 'never refuses', 'never refuse', 'never declines', 'never decline',
      'never says no', 'never turns down', 'never warns', 'does anything', 'do anything', 'will do anything', 'can do anything', 'answers anything', 'answer anything',
      'answers everything', 'answer every question', 'answers every question', 'without refusing', 'says anything', 'say anything',
      'regardless of rules', 'regardless of the rules', 'regardless of consequences', 'no refusals', 'without refusals',
      'not bound by', "isn't bound", 'is not bound', 'no matter how', 'god mode', 'developer mode', 'unlimited mode',
      'do anything now', 'removed every', 'removed all', 'every safety', 'safety limit', 'safety limits', 'no safety', 'without safety',
      'no guardrails', 'without guardrails', 'legal or illegal', 'legal or not', 'no moral compass',
      'sans restriction', 'sans aucune restriction', 'sin restricciones', 'sin limites', 'ohne einschrankungen', 'ohne jegliche einschrankungen',
      'senza restrizioni', 'sem restricoes',
    ],
  ],
  [
    LV,
    [
      'repeat', 'print', 'print out', 'show', 'reveal', 'display', 'output', 'tell', 'give', 'share', 'leak', 'dump', 'recite', 'echo',
      'spell out', 'disclose', 'provide', 'return', 'copy', 'expose', 'write out', 'write down', 'type out', 'paste', 'reproduce', 'quote',
      'read out', 'what is', 'what are', 'what was', 'what were', "what's", 'what did', 'what does', 'muestra', 'muestrame', 'dime',
      'cuales son', 'dis-moi', 'dites-moi', 'quelles sont', 'sag mir', 'sagen sie mir', 'welche sind', 'dimmi', 'quali sono', 'diga', 'montre',
      'montrez', 'affiche', 'affichez', 'zeige', 'zeig', 'mostra', 'mostre',
    ],
  ],
  [LVS, ['summarize', 'summarise', 'translate', 'list', 'describe', 'explain', 'write', 'state', 'encode', 'rewrite', 'paraphrase']],
  [
    LT,
    [
      'system prompt', 'system message', 'system instructions', 'prompt de sistema', 'systemprompt', 'preprompt', 'pre-prompt',
      'initial prompt', 'hidden prompt', 'full prompt', 'your prompt', 'your instructions', 'context window', 'developer message', 'developer prompt', 'hidden instructions',
      'hidden message', 'initial instructions', 'original instructions', 'secret instructions', 'secret guidelines', 'secret rules',
      'confidential instructions', 'instructions you were given', 'text that came before',
      'text above', 'everything above', 'messages above', 'words above', 'before my first message', 'before my first question',
      'initial configuration', 'configuration text', 'what you were told', 'you were told',
      'you were given', 'instructions you', 'systemanweisungen', 'systemanweisung', 'deine anweisungen', 'ihre anweisungen',
      'tes instructions', 'vos instructions', 'tes consignes', 'vos consignes', 'tus instrucciones', 'sus instrucciones',
      'instrucciones del sistema', 'le tue istruzioni', 'istruzioni di sistema', 'prompt di sistema', 'suas instrucoes',
      'instructions systeme', 'prompt du systeme',
    ],
  ],
  [LTW, ['your configuration', 'your guidelines', 'your rules', 'your directives', 'your context', 'rules you', 'guidelines you', 'your setup', 'the instructions you', 'the rules you']],
  [
    LR,
    [
      'initial', 'original', 'hidden', 'secret', 'internal', 'confidential', 'developer', 'developers', 'creator', 'creators',
      'first', 'beginning', 'verbatim', 'exact', 'exactly', 'full', 'entire', 'word for word', 'loaded', 'were given', 'configured', 'behind',
      'complete', 'in full', 'iniciales', 'initiales', 'wort fur wort', 'mot pour mot', 'palabra por palabra', 'parola per parola', 'palavra por palavra',
      'textuellement', 'literalmente', 'exactement',
      // phrases that are targets and already say whose and when
      'at the beginning', 'at the start', 'before my first message', 'instructions you were given', 'hidden instructions',
      'initial instructions', 'original instructions', 'secret instructions', 'confidential instructions', 'hidden prompt', 'initial prompt',
    ],
  ],
  [NEG, ["don't", 'dont', 'do not', 'never', 'not', "shouldn't", "won't", 'cannot', "can't", 'must not']],
  [
    DESC,
    [
      'keeps', 'kept', 'sometimes', 'often', 'always', 'usually', 'tends to', 'seems to', 'why does', 'why do', 'how do i', 'how can i',
      'how to', 'the model', 'the bot', 'the ai', 'the assistant', 'the chatbot', 'chatgpt', 'gpt', 'it ignores', 'ignores', 'ignored',
      'forgot', 'forgets',
    ],
  ],
]

/** Single words only: an anchor is a token position. */
const ANCHORS: Array<[number, string[]]> = [
  [
    A_NOUN,
    [
      'instruction', 'instructions', 'rule', 'rules', 'guideline', 'guidelines', 'directive', 'directives', 'prompt', 'prompts', 'command',
      'commands', 'orders', 'guidance', 'programming', 'training', 'conditioning', 'ethics', 'principles', 'protocol', 'protocols',
      'directions', 'stipulations', 'message', 'filter', 'filters', 'constraint', 'constraints', 'restriction', 'restrictions', 'limitation',
      'limitations', 'safeguard', 'safeguards', 'guardrail', 'guardrails', 'policy', 'policies',
    ],
  ],
  [
    A_BACK,
    ['above', 'preceding', 'foregoing', 'aforementioned', 'everything', 'all', 'told', 'said', 'wrote', 'gave', 'prior', 'previous', 'previously', 'before', 'earlier', 'far'],
  ],
  [A_NEW, ['new', 'updated', 'real', 'actual', 'true', 'revised', 'secret', 'hidden', 'override', 'admin', 'developer', 'different', 'only']],
  [A_FOLLOW, ['follow', 'obey', 'listen']],
  [
    A_ROLE,
    [
      'you', "you're", 'youre', 'from', 'act', 'acting', 'pretend', 'pretending', 'role', 'roleplay', 'roleplaying', 'role-play', 'role-playing',
      'play', 'simulate', 'behave', 'take', 'your', 'stay', 'respond', 'answer', 'imagine', "let's", 'lets', 'mode',
    ],
  ],
  [A_JB, ['anything', 'mode', 'jailbroken', 'freed', 'liberated', 'unlocked', 'refuse', 'refuses', 'matter']],
  [
    A_LEAKV,
    [
      'repeat', 'print', 'show', 'reveal', 'display', 'output', 'tell', 'give', 'share', 'leak', 'dump', 'recite', 'echo', 'spell', 'list',
      'disclose', 'provide', 'return', 'copy', 'expose', 'write', 'type', 'paste', 'reproduce', 'quote', 'state', 'read', 'summarize',
      'summarise', 'translate',
    ],
  ],
  [A_LEAKQ, ['what', "what's", 'how']],
  [A_TPL, ['im', 'system', 'sys', 'user', 'assistant', 'endoftext', 'eot', 'start', 'end', 'begin', 'inst', 'admin', 'administrator', 'instructions', 'developer', 'operator']],
  [A_DELIM, ['instruction', 'instructions', 'system', 'response', 'human', 'assistant', 'new', 'end', 'begin', 'start', 'input', 'user', 'admin', 'administrator', 'developer', 'operator']],
  [A_LABEL, ['system', 'assistant', 'developer', 'admin', 'root', 'ai']],
  [A_ROLEKEY, ['role']],
  [
    META,
    [
      'inject', 'injects', 'injected', 'injecting', 'injection', 'injections', 'injector', 'jailbreak', 'jailbreaks', 'jailbreaking',
      'attack', 'attacks', 'attacked', 'attacker', 'attackers', 'example', 'examples', 'phrase', 'phrases', 'detect', 'detects', 'detected',
      'detecting', 'detection', 'detections', 'detector', 'detectors', 'classify', 'classifies', 'classified', 'classifier', 'classifiers',
      'classifying', 'classification', 'classifications', 'dataset', 'benchmark', 'malicious', 'adversarial', 'security', 'defense',
      'defence', 'defenses', 'defences', 'defensive', 'prevent', 'prevents', 'prevented', 'preventing', 'prevention', 'mitigate',
      'mitigates', 'mitigated', 'mitigating', 'mitigation', 'mitigations', 'research', 'researcher', 'researchers', 'researching',
      'researched', 'paper', 'red-team', 'red-teaming', 'red-teamer', 'red-teamers', 'guardrail', 'guardrails', 'meaning', 'mean', 'means',
      'called', 'explain', 'explains', 'explained', 'sentence', 'string', 'regex', 'pattern', 'test', 'tests', 'testing', 'checklist',
      'evaluate', 'evaluates', 'evaluated', 'evaluating', 'evaluation', 'evaluations', 'vulnerable', 'vulnerability', 'exploit',
      'exploits', 'exploited', 'threat', 'threats', 'leak', 'leaks', 'leaked', 'leaking', 'leakage', 'token', 'tokens', 'template',
      'templates', 'syntax', 'escape', 'sanitize', 'sanitized', 'sanitizes', 'sanitizing', 'sanitization', 'lesson', 'slide', 'workshop',
    ],
  ],
]

const GATES: Array<[number, string[]]> = [
  [
    G_OVERRIDE_VERB,
    [
      'ignore', 'ignoring', 'disregard', 'disregarding', 'forget', 'forgetting', 'override', 'overriding', 'bypass', 'bypassing', 'mind',
      'nevermind', 'forgo', 'skip', 'discard', 'abandon', 'neglect', 'dismiss', 'overlook', 'overwrite', 'erase', 'scrap', 'ditch',
      'circumvent', 'nullify', 'cancel', 'revoke', 'supersede', 'unlearn', 'wipe', 'purge', 'drop', 'delete', 'clear', 'reset', 'throw',
      'aside', 'attention', 'following', 'obeying', 'listening', 'follow', 'obey', 'listen', 'adhere', 'comply', 'abide', 'respect', 'heed',
      'apply', 'bound', 'restricted', 'limited', 'constrained', 'governed', 'free',
    ],
  ],
  [
    G_LEAK_OBJECT,
    [
      'instructions', 'prompt', 'rules', 'guidelines', 'directives', 'configuration', 'programming', 'message', 'context', 'preprompt',
      'pre-prompt', 'constraints', 'restrictions', 'above', 'before', 'preceding', 'prior', 'told', 'given', 'instructed', 'written',
      'programmed', 'prompted',
    ],
  ],
  [
    G_VOID,
    [
      'apply', 'void', 'cancelled', 'canceled', 'revoked', 'lifted', 'removed', 'replaced', 'suspended', 'obsolete', 'overridden', 'invalid',
      'test', 'fake', 'valid', 'wrong', 'outdated', 'real',
    ],
  ],
  [
    G_TASK,
    [
      'instruction', 'instructions', 'rule', 'rules', 'directive', 'directives', 'task', 'orders', 'command', 'commands', 'objective', 'goal',
      'system', 'prompt', 'mission', 'purpose', 'job',
    ],
  ],
  [
    G_MARKER,
    [
      'anything', 'jailbreak', 'jailbreaks', 'jailbroken', 'jailbreaking', 'unrestricted', 'unfiltered', 'uncensored', 'amoral',
      'restrictions', 'limits', 'limitations', 'rules', 'filters', 'guidelines', 'ethics', 'morals', 'moral', 'ethical', 'censorship',
      'boundaries', 'constraints', 'policy', 'policies', 'refusing', 'warnings', 'bound', 'free', 'refuse', 'refuses', 'question', 'request',
      'prompt', 'matter', 'safety', 'content', 'evil', 'mode', 'anti-dan', 'antidan', 'mongo', 'dan', 'stan', 'aim', 'dude', 'kevin',
    ],
  ],
]

/** Multi-word META phrases carry the bits of their words so they replace no concept. */
const META_PHRASES: Array<[string, number, number]> = [
  ['red team', META, 0],
  ['training data', META | A_NOUN, T],
]

// ---------------------------------------------------------------- compiled tables

const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57)
const isJoiner = (c: number) => c === 39 || c === 45 // ' and - inside a word: don't, pre-prompt

/** Split a lexicon entry the way the tokenizer splits text. */
export function entryWords(phrase: string): string[] {
  const out: string[] = []
  let i = 0
  while (i < phrase.length) {
    while (i < phrase.length && !isWordChar(phrase.charCodeAt(i))) i++
    const s = i
    while (i < phrase.length && (isWordChar(phrase.charCodeAt(i)) || (isJoiner(phrase.charCodeAt(i)) && isWordChar(phrase.charCodeAt(i + 1))))) i++
    if (i > s) out.push(phrase.slice(s, i))
  }
  return out
}

export function fnv(s: string, from: number, to: number): number {
  let h = 0x811c9dc5
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}
export const combine = (k: number, x: number) => (Math.imul(k, 1000003) ^ x) >>> 0
export const PHRASE_SEED = 0x9747b28c

export const MAX_WORDS = 4
export const MAX_WORD_LENGTH = 24

/**
 * Open-addressing table from the combined word-hash key of an entry (its
 * word count mixed in) to entry ids; entries hold their words for the
 * verification that follows every hash hit.
 */
const TABLE_BITS = 13
const TABLE_SIZE = 1 << TABLE_BITS
export const TABLE_KEYS = new Uint32Array(TABLE_SIZE)
export const TABLE_IDS = new Int32Array(TABLE_SIZE) // entry id + 1; 0 = empty

/** Per entry: anchor bits (ENTRY_BITS) and concept bits; its words concatenated, one word per slot: ENTRY_WORD_START[e*4+k] into WORD_CHARS. */
export const ENTRY_BITS: number[] = []
export const ENTRY_CONCEPTS: number[] = []
export const ENTRY_LEN: number[] = []
export const ENTRY_WORD_START: number[] = []
export const ENTRY_WORD_LEN: number[] = []
export let WORD_CHARS = ''

export const keyFor = (combined: number, words: number) => (combined ^ Math.imul(words, 0x5bd1e995)) >>> 0

function insert(words: string[], bits: number, concepts: number): void {
  let combined = PHRASE_SEED
  for (const w of words) combined = combine(combined, fnv(w, 0, w.length))
  const key = keyFor(combined, words.length)
  let slot = key & (TABLE_SIZE - 1)
  for (;;) {
    const id = TABLE_IDS[slot] - 1
    if (id < 0) break
    if (TABLE_KEYS[slot] === key && ENTRY_LEN[id] === words.length) {
      let same = true
      for (let k = 0; k < words.length && same; k++) {
        same = WORD_CHARS.substr(ENTRY_WORD_START[id * MAX_WORDS + k], ENTRY_WORD_LEN[id * MAX_WORDS + k]) === words[k]
      }
      if (same) {
        ENTRY_BITS[id] |= bits
        ENTRY_CONCEPTS[id] |= concepts
        return
      }
    }
    slot = (slot + 1) & (TABLE_SIZE - 1)
  }
  const id = ENTRY_BITS.length
  ENTRY_BITS.push(bits)
  ENTRY_CONCEPTS.push(concepts)
  ENTRY_LEN.push(words.length)
  for (let k = 0; k < MAX_WORDS; k++) {
    const w = words[k] ?? ''
    ENTRY_WORD_START.push(WORD_CHARS.length)
    ENTRY_WORD_LEN.push(w.length)
    WORD_CHARS += w
  }
  TABLE_KEYS[slot] = key
  TABLE_IDS[slot] = id + 1
}

/** A 64 Kbit filter over the hashes of every lexicon word: an ordinary word is dismissed with one array read. */
export const BLOOM = new Uint8Array(1 << 16)
/** Word hashes (filtered) that begin a phrase of two or more words: only then are longer lookups tried. */
export const PHRASE_START = new Uint8Array(1 << 16)
/** Word hashes (filtered) that end a phrase of two or more words. */
export const PHRASE_END = new Uint8Array(1 << 16)

const all = new Map<string, [number, number]>()
const addTo = (phrase: string, bits: number, concepts: number) => {
  const e = all.get(phrase) ?? [0, 0]
  all.set(phrase, [e[0] | bits, e[1] | concepts])
}
for (const [bit, words] of CONCEPTS) for (const w of words) addTo(w, 0, bit)
for (const [bit, words] of [...ANCHORS, ...GATES]) for (const w of words) addTo(w, bit, 0)
for (const [phrase, bits, concepts] of META_PHRASES) addTo(phrase, bits, concepts)
// A phrase ("your guidelines", "you are a") replaces its words' hits, so it also carries what they say on their own (a target, the model addressed).
const CARRIED = T | TS | R | RM | YOU | LR | GIVEN | NOQ
for (const [phrase, [, concepts]] of all) {
  if (concepts === 0 || concepts & (D | NEG)) continue
  let extra = 0
  for (const word of entryWords(phrase)) extra |= (all.get(word)?.[1] ?? 0) & CARRIED
  all.get(phrase)![1] |= extra
}
for (const [phrase, [bits, concepts]] of all) {
  const words = entryWords(phrase)
  if (words.length === 0 || words.length > MAX_WORDS) continue
  insert(words, bits, concepts)
  for (const w of words) BLOOM[fnv(w, 0, w.length) & 0xffff] = 1
  if (words.length > 1) {
    PHRASE_START[fnv(words[0], 0, words[0].length) & 0xffff] = 1
    PHRASE_END[fnv(words[words.length - 1], 0, words[words.length - 1].length) & 0xffff] = 1
  }
}
if (ENTRY_BITS.length * 2 > TABLE_SIZE) throw new Error('injection lexicon table too small')

/** One-word entries by the low 16 bits of their word hash: the entry id, -1 for none, -2 when several share the bits. */
export const SINGLE_BY_HASH = new Int32Array(1 << 16).fill(-1)
for (let id = 0; id < ENTRY_BITS.length; id++) {
  if (ENTRY_LEN[id] !== 1) continue
  const start = ENTRY_WORD_START[id * MAX_WORDS]
  const k = fnv(WORD_CHARS, start, start + ENTRY_WORD_LEN[id * MAX_WORDS]) & 0xffff
  SINGLE_BY_HASH[k] = SINGLE_BY_HASH[k] === -1 ? id : -2
}

/** Characters that are a lexicon word (or a phrase's word) by themselves ("i" in "how do i", "a" in "play a game"). */
export const ONE_CHAR_WORD = new Uint8Array(128)
for (let id = 0; id < ENTRY_BITS.length; id++) {
  for (let k = 0; k < ENTRY_LEN[id]; k++) if (ENTRY_WORD_LEN[id * MAX_WORDS + k] === 1) ONE_CHAR_WORD[WORD_CHARS.charCodeAt(ENTRY_WORD_START[id * MAX_WORDS + k])] = 1
}

/** The entry id of a single word (for spelled-out words and tests), or -1. */
export function wordEntry(word: string): number {
  const key = keyFor(combine(PHRASE_SEED, fnv(word, 0, word.length)), 1)
  for (let slot = key & (TABLE_SIZE - 1); TABLE_IDS[slot] !== 0; slot = (slot + 1) & (TABLE_SIZE - 1)) {
    const id = TABLE_IDS[slot] - 1
    if (TABLE_KEYS[slot] === key && ENTRY_LEN[id] === 1 && WORD_CHARS.substr(ENTRY_WORD_START[id * MAX_WORDS], ENTRY_WORD_LEN[id * MAX_WORDS]) === word) {
      return id
    }
  }
  return -1
}

export const TABLE_MASK = TABLE_SIZE - 1
