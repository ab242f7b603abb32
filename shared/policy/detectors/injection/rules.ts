/**
 * Lexical rules of the prompt-injection detector, by family. They run on
 * normalised lower-case text (see text/normalize.ts). Every quantifier is
 * bounded or runs over disjoint character classes, so each rule is linear in
 * the input.
 */

export type InjectionFamily = 'instruction_override' | 'role_manipulation' | 'system_prompt_leak' | 'fake_boundary'

export const FAMILY_ENTITY: Record<InjectionFamily, string> = {
  instruction_override: 'INSTRUCTION_OVERRIDE',
  role_manipulation: 'ROLE_MANIPULATION',
  system_prompt_leak: 'SYSTEM_PROMPT_LEAK',
  fake_boundary: 'FAKE_BOUNDARY',
}

// ------------------------------------------------------------ instruction override

/** Imperatives that discard what came before. Past tense and third person are left out on purpose: "the model ignored my rules" describes, it does not command. */
const OVERRIDE_VERB =
  "(?:ignore|ignoring|disregard|disregarding|forget|forgetting|override|overriding|bypass|bypassing|never\\s?mind|forgo|skip|discard|abandon|neglect|dismiss|overlook|overwrite|erase|scrap|ditch|circumvent|nullify|cancel|revoke|supersede|unlearn|wipe|purge|drop|delete|clear|reset|throw\\s+(?:out|away)|set\\s+aside|put\\s+aside|pay\\s+no\\s+attention\\s+to|stop\\s+(?:following|obeying|listening\\s+to)|(?:do\\s+not|don'?t|dont|never|no\\s+longer)\\s+(?:follow|obey|listen\\s+to|adhere\\s+to|comply\\s+with|abide\\s+by|respect|heed|apply)|(?:are|be|is)\\s+(?:no\\s+longer|not)\\s+(?:bound|restricted|limited|constrained|governed)\\s+by|free\\s+(?:yourself\\s+)?(?:from|of))"

/** Nouns that name the model's instructions. */
const CORE_NOUN =
  '(?:instructions?|rules?|guidelines?|directives?|prompts?|commands?|orders|guidance|programming|training|conditioning|ethics|principles|protocols?|directions|stipulations|system\\s+message)'
/** Nouns that may name the model's limits, or just a UI or data setting ("clear the filters"). */
const SOFT_NOUN = '(?:filters?|constraints?|restrictions?|limitations?|safeguards?|guardrails?|polic(?:y|ies))'
const INSTRUCTION_NOUN = `(?:${CORE_NOUN}|${SOFT_NOUN})`
export const CORE_NOUN_RE = new RegExp(`^${CORE_NOUN}$`)

/** Verbs that also act on data or UI ("reset the counter"): they need a core noun. */
export const WEAK_VERB = /^(?:skip|drop|delete|clear|reset|cancel|wipe|purge|scrap|ditch|erase|throw)\b/

/** verb … (≤6 words) … instruction noun */
export const OVERRIDE_WITH_NOUN = new RegExp(`\\b(${OVERRIDE_VERB})\\b((?:\\W{1,8}[\\w']{1,30}){0,6}?)\\W{1,8}(${INSTRUCTION_NOUN})\\b`, 'g')

/** verb … "the above" / "everything" / "all previous" without a noun. */
export const OVERRIDE_NO_NOUN = new RegExp(
  `\\b${OVERRIDE_VERB}\\b((?:\\W{1,8}[\\w']{1,30}){0,3}?)\\W{1,8}(above|preceding|foregoing|aforementioned|everything|all\\s+(?:of\\s+)?(?:that|this|the\\s+above)|what\\s+(?:you\\s+were|i|we)\\s+(?:told|said|wrote|gave)|prior|previous(?:ly)?|before|earlier|so\\s+far)\\b`,
  'g',
)

/** "new instructions:", "your real task is" */
export const NEW_INSTRUCTIONS =
  /\b(?:new|updated|real|actual|true|revised|secret|hidden|override|admin|developer|different)\s+(?:instructions?|rules?(?:\s+set)?|directives?|task|orders|commands?|objective|goal|system\s+prompt|prompt|mission)\s*(?::|are\b|is\b|follow\b|will\s+be\b)/g

/** "your real task … is to", "the new goal is to" */
export const REPLACEMENT_TASK =
  /\b(?:new|real|actual|true|only)\s+(?:task|instructions?|goal|objective|mission|purpose|job)\b[^.!?\n]{0,40}?\b(?:is|are)\s+(?:now\s+)?to\b/g

/** "the earlier rules no longer apply", "the instructions above were a test" */
export const PASSIVE_OVERRIDE =
  /\b(earlier|previous|prior|above|original|initial|your|all|any|the|old|these|those)\s+(?:instructions|rules|guidelines|directives|prompt|prompts|restrictions|constraints|policies)\s+(?:no\s+longer\s+apply|(?:do\s+not|don'?t|dont)\s+apply(?:\s+anymore)?|(?:are|were|is|have\s+been|has\s+been)\s+(?:now\s+)?(?:void|cancell?ed|revoked|lifted|removed|replaced|suspended|obsolete|overridden|invalid|a\s+test|fake|no\s+longer\s+valid))\b|\b(?:instructions|rules|prompt|guidelines)\s+(?:above|before|earlier)\s+(?:were|was|are|is)\s+(?:a\s+test|fake|wrong|void|invalid|outdated|not\s+real|cancell?ed)\b/g

/** "… and follow mine instead" */
export const FOLLOW_MINE =
  /\b(?:follow|obey|listen\s+to)\s+(?:mine|me|my\s+(?:instructions|rules|orders|commands|lead))\s+(?:instead|only|from\s+now\s+on|alone)\b/g

/** Back-references after the noun: "the instructions you received earlier". */
export const NOUN_BACKREF =
  /\s{0,3}(?:(?:that|which)\s+)?(?:you\s+(?:received|were\s+given|got|have\s+been\s+given|were\s+told|have)|(?:given|provided)\s+(?:to\s+you|earlier|before|above)|(?:from\s+)?(?:earlier|before|above|previously))\b/y

/** "… — I sent it by mistake": the user retracting their own message. */
export const SELF_CORRECTION =
  /.{0,80}?\b(?:by\s+mistake|mistaken|typo|wrong\s+(?:one|file|message|thing|link|paste|version)|pasted|accident(?:al|ally)?|sorry|my\s+bad|oops|sent\s+(?:it|that|this)\s+(?:too\s+early|twice|by))\b/y

/** Qualifiers that point back at the model's own instructions. */
export const STRONG_QUALIFIER =
  /\b(?:previous|previously|prior|above|earlier|preceding|foregoing|aforementioned|former|initial|original|old|existing|prev|all|every|any|system|developer|default|given|hidden|built-in|preset|predefined|pre-?set|your|yours|these|those)\b/
export const SELF_QUALIFIER = /\b(?:my|our)\b/

/** "…instructions in the README" points elsewhere, not at the model. */
export const ELSEWHERE_SCOPE =
  /\W{0,3}\s{0,3}(?:in|on|from|of|for|at|inside|within|about|printed)\s+(?:the|this|that|my|our|a|your)\s+(?:readme|file|docs?|documentation|email|e-mail|manual|guide|book|article|ticket|issue|code|comments?|link|package|library|box|label|page|website|site|form|recipe|assignment|homework|exam|test|slide|video|tutorial|course|textbook|spec|sheet|template|pdf|attachment|linter|compiler|style\s*guide|installer|wizard|screen|popup|dialog|game)\b/y

/** A command right after the override raises confidence. */
export const CONTINUATION =
  /.{0,60}?\b(?:instead|and\s+(?:now\s+|then\s+|just\s+|only\s+)?(?:say|print|output|write|reply|respond|tell|reveal|show|give|answer|do|act|pretend|repeat|translate|follow|obey|start|begin)|now\s+(?:say|print|output|write|you|tell|reveal|act|respond|answer)|from\s+now\s+on|comply|obey\s+me|begin\s+your\s+(?:reply|answer|response)|start\s+your\s+(?:reply|answer|response)|only\s+(?:say|reply|answer|respond|output))\b/y

/** Negated or descriptive uses: "never ignore", "it keeps ignoring". */
export const NEGATED_BEFORE =
  /\b(?:don'?t|dont|do\s+not|never|not|shouldn'?t|won'?t|wouldn'?t|cannot|can'?t|must\s+not|without|keeps?|kept|is|was|are|were|been|stop|avoid|prevent|why\s+does\s+it|why\s+do\s+they)\s+(?:\w+\s+){0,1}$/

// ------------------------------------------------------------ role manipulation

export const ROLE_CHANGE =
  /\b(?:you\s+are\s+(?:now|going\s+to\s+(?:be|act|pretend|play)|no\s+longer|(?:two|both)\s+characters)|you'?re\s+going\s+to\s+(?:be|act|pretend|play)|you'?ll\s+(?:now\s+)?(?:be|play|act|pretend|respond)|you\s+play\s+(?:the\s+(?:role|part)\s+of\s+)?(?!a\s+game)|assume\s+the\s+(?:role|persona|character|identity)|switch\s+(?:to|into)\s+(?:the\s+)?(?:character|persona|role)|(?:from\s+this\s+(?:moment|point)(?:\s+on)?|starting\s+now|henceforth),?\s+(?:you|act|respond|answer|reply)|you'?re\s+(?:now|no\s+longer)|youre\s+(?:now|no\s+longer)|you\s+will\s+(?:now\s+)?(?:be|act|pretend|play|respond|answer|become)|from\s+now\s+on,?\s+(?:you|act|respond|answer|reply|pretend)|act(?:ing)?\s+as|pretend(?:ing)?\s+(?:to\s+be|you\s+are|that\s+you|you're)|role-?\s?play(?:ing)?\s+as|play\s+the\s+(?:role|part)\s+of|simulate\s+(?:a|an|being)|behave\s+(?:as|like)|take\s+on\s+the\s+(?:role|persona)|your\s+new\s+(?:name|persona|identity|role)|stay\s+in\s+character|respond\s+as|answer\s+as|imagine\s+(?:you\s+are|yourself\s+as|you're)|you\s+have\s+been\s+(?:freed|liberated|released|unlocked|jailbroken)|you\s+(?:are|were)\s+(?:freed|liberated|released|unlocked)|let'?s\s+(?:role-?\s?play|pretend)|role-?\s?play\s*:|(?:^|[.!?\n]\s{0,3})(?:please\s+)?(?:enter|enable|activate|switch\s+to|turn\s+on)\s+(?:developer|dev|god|sudo|jailbreak|dan|unrestricted|debug)\s+mode)\b/g

export const JAILBREAK_MARKER =
  /\b(?:do\s+anything\s+now|jailbr(?:eak|oken|eaking)\w{0,3}|unrestricted|unfiltered|uncensored|amoral|no\s+(?:(?:content|safety)\s+)?(?:restrictions|limits|limitations|rules|filters|guidelines|ethics|morals|moral\s+\w{1,20}|ethical\s+\w{1,20}|censorship|boundaries|constraints|content\s+polic(?:y|ies))|without\s+(?:any\s+)?(?:(?:content|safety|ethical|moral)\s+)?(?:restrictions|limits|limitations|rules|filters|guidelines|ethics|morals|censorship|boundaries|constraints|refusing|warnings|moral\s+\w{1,20}|ethical\s+\w{1,20})|not\s+bound\s+by|free\s+(?:from|of)\s+(?:all\s+|any\s+)?(?:restrictions|rules|limitations|constraints|guidelines|censorship|policies|openai|meta|filters)|never\s+refuses?|(?:cannot|can'?t|won'?t|will\s+not|must\s+not|do\s+not)\s+refuse|answer\s+(?:any|every)\s+(?:question|request|prompt)|no\s+matter\s+how\s+(?:immoral|unethical|illegal|dangerous|harmful|offensive)|(?:ignore|bypass|disable|turn\s+off|remove|deactivate)\s+(?:all\s+|your\s+|any\s+|the\s+)?(?:safety|ethical|moral|content)\s+(?:\w{1,20})|evil\s+(?:ai|assistant|bot|twin|version|mode|confidant)|(?:doesn'?t|does\s+not|don'?t|do\s+not|won'?t|will\s+not|never|needn'?t)\s+(?:have\s+to\s+|need\s+to\s+)?(?:follow|obey|abide\s+by|care\s+(?:about|for)|respect|adhere\s+to|worry\s+about|bother\s+with|comply\s+with)\s+(?:any\s+|the\s+|all\s+)?(?:[\w-]{1,20}\s+){0,3}?(?:rules|polic(?:y|ies)|guidelines|laws|ethics|morals|restrictions|limits|filters)|(?:was|were|has\s+been|have\s+been)\s+never\s+(?:given|taught|bound\s+by|programmed\s+with)\s+(?:any\s+)?(?:[\w-]{1,20}\s+)?(?:restrictions|rules|limits|filters|guidelines|ethics)|(?:removed|stripped|deleted|disabled|turned\s+off)\s+(?:all|every|any)\s+(?:of\s+)?(?:the\s+|its\s+|their\s+|his\s+|her\s+)?(?:[\w-]{1,20}\s+)?(?:filters|rules|restrictions|guidelines|safeguards)|broken\s+free|breaks?\s+free\s+(?:of|from)\s+(?:the\s+)?(?:typical\s+)?(?:confines|rules|restrictions)|never\s+holds?\s+back|never\s+mentions?\s+(?:ethics|morals|rules)|who\s+(?:has|have)\s+none|opposite\s+mode|chaos\s+mode|god\s+mode|sudo\s+mode|(?:developer|dev)\s+mode|anti-?dan|mongo\s+tom)\b/g

/** Personas that are ordinary words or names ("Dan", "aim"), counted only when assigned. */
export const PERSONA_ASSIGNED =
  /\b(?:as|am|named|called|be|become|you\s+are|you're|now)\s+(?:dan|stan|aim|dude|kevin|dan\s*\d+(?:\.\d+)?)\b|\bdan\s*(?:mode|\d+(?:\.\d+)?|\(do\s+anything)|\bstands\s+for\s+"?do\s+anything\s+now/g

/** Markers strong enough on their own. */
export const JAILBREAK_ALONE =
  /\b(?:do\s+anything\s+now|(?:developer|dev)\s+mode\s+(?:enabled|activated|output|response)|jailbroken|you\s+(?:have\s+been|are\s+now|were)\s+(?:freed|jailbroken|liberated|unlocked)|never\s+refuses?\s+(?:a|any)\s+(?:request|question|order)|no\s+matter\s+how\s+(?:immoral|unethical|illegal|dangerous|harmful))\b/g

// ------------------------------------------------------------ system-prompt leak

const LEAK_VERB =
  '(?:repeat|print|show|reveal|display|output|tell|give|share|leak|dump|recite|echo|spell\\s+out|list|disclose|provide|return|copy|expose|write\\s+(?:out|down)|write|type\\s+out|paste|reproduce|quote|state|read\\s+(?:out|back)|summari[sz]e|translate)'
const LEAK_FILLER =
  '(?:\\s+(?:me|us|back|out|to\\s+me|verbatim|exactly|word\\s+for\\s+word|in\\s+full|all|the|of|everything|full|entire|complete|exact|whole|raw|very|first|now|please|again))'
const SECRET_ADJ =
  '(?:system|initial|original|hidden|secret|internal|developer|starting|first|confidential|pre-?|underlying|core|base|full|exact|entire|complete)'
const LEAK_OBJECT =
  `(your\\s+(?:${SECRET_ADJ}\\s+){0,2}(?:instructions|prompt|rules|guidelines|directives|configuration|programming|system\\s+(?:message|prompt)|initial\\s+message|context|pre-?prompt|constraints|restrictions)` +
  `|(?:the\\s+)?system\\s+(?:prompt|message|instructions)` +
  `|(?:the\\s+)?(?:initial|original|hidden|secret|developer|starting|first|confidential|internal)\\s+(?:prompt|instructions|message|rules)` +
  `|(?:the\\s+)?(?:text|words|content|message|messages|lines|everything|instructions|prompt|conversation)\\s+(?:above|before\\s+(?:this|that|my|the\\s+user)|preceding|prior\\s+to)` +
  `|everything\\s+(?:above|before)` +
  `|what\\s+(?:instructions|rules|guidelines|prompt)\\s+you\\s+(?:received|were\\s+given|got|were\\s+told|have)` +
  `|the\\s+(?:rules|instructions|guidelines)\\s+you\\s+were\\s+(?:told|given|asked|instructed)\\s+to\\s+follow` +
  `|what\\s+(?:you\\s+were|was)\\s+(?:told|given|instructed|written)\\s+(?:before|above|earlier|at\\s+the\\s+(?:start|beginning)))`

export const LEAK_REQUEST = new RegExp(`\\b(${LEAK_VERB})\\b${LEAK_FILLER}{0,6}\\s+${LEAK_OBJECT}\\b`, 'g')

/** "how do I show …": asking how to do something, not asking the model to do it. */
export const HOW_TO_BEFORE = /\b(?:how\s+(?:do|can|could|would|should)\s+(?:i|we|one|people)|how\s+to|where\s+(?:do|can)\s+(?:i|we))\s+(?:\w+\s+){0,1}$/

export const LEAK_QUESTION =
  /\bwhat\s+(?:is|are|was|were|'s)\s+(?:your|the)\s+(?:(?:system|initial|original|hidden|secret|first|internal|developer|exact)\s+){1,2}(?:prompt|instructions|message|rules)|\bwhat\s+(?:is|are|were|was)\s+your\s+(?:instructions|prompt|pre-?prompt)\b|\bwhat\s+(?:were|are)\s+you\s+(?:told|instructed|programmed)\s+(?:to\s+do\s+)?(?:before|at\s+the\s+(?:start|beginning)|by\s+(?:your\s+)?(?:developer|creator|openai|the\s+developer))|\bhow\s+(?:were|are)\s+you\s+(?:instructed|prompted)\b/g

/** "… the original instructions for the 1990s version of Monopoly": instructions of something else, named after them. */
export const OTHER_THING_AFTER =
  /^\s{1,3}(?:for|of|in|on|from|to)\s+(?:the|a|an|this|that|my|our|his|her|their)\s+(?!(?:chat|conversation|session|assistant|model|bot|ai|system|llm)\b)/

/** "Explain what a system prompt is": asks what a thing is, not for one. */
export const DEFINITION_QUESTION = /\bwhat\s+(?:a|an)\s+(?:[\w-]{1,25}\s+){1,3}?(?:is|are|means?|does)\b/

/** Verbs of editing tasks that can disguise a leak: spell-check, translate, repeat, print "the text above". */
const EDIT_VERB =
  '(?:spell-?check|proofread|translate|fix|correct|check|convert|format|reformat|rewrite|paraphrase|summari[sz]e|output|print|repeat|copy|paste|put|turn|transform|encode|reproduce|show|echo|return|list|display|dump|quote|recite|type\\s+out|write\\s+out)'
/** The text above the user's message, named by position: "the text above", "everything that precedes this message". */
const ABOVE_OBJECT =
  '(?:(?:all\\s+(?:of\\s+)?)?(?:the\\s+)?(?:text|content|contents|words|lines|message|messages|instructions|prompt|conversation)\\s+(?:above|before\\s+(?:this|my)\\b|(?:that|which)\\s+(?:came|comes|precedes?|is|was)\\s+(?:before|above)?|preceding|prior\\s+to\\s+(?:this|my)\\b)' +
  '|the\\s+preceding\\s+(?:text|content|words|instructions|message|messages|lines)|everything\\s+(?:above|before\\s+(?:this|my)\\b|(?:that|which)\\s+(?:precedes|came\\s+before|comes\\s+before|is\\s+above)|preceding)' +
  '|all\\s+of\\s+the\\s+above|(?:the\\s+)?instructions\\s+(?:you\\s+(?:were|have\\s+been)\\s+given\\s+)?at\\s+the\\s+(?:top|start|beginning))'

/** An editing task on the text above the message. "Above the fold" is a place, not the text above. */
export const EDIT_LEAK = new RegExp(`\\b${EDIT_VERB}\\b(?:\\W{1,4}[\\w'-]{1,25}){0,5}?\\W{1,4}${ABOVE_OBJECT}(?!\\s+(?:the|a|an)\\s)`, 'g')

/** An object that can only be text outside the user's message: "before my first message", "at the top", "this message". */
export const OUTSIDE_MESSAGE = /\b(?:(?:this|my)\s+(?:first\s+)?message|at\s+the\s+(?:top|start|beginning)|came\s+before\s+my)\b/

// ------------------------------------------------------------ fake boundaries

export const CHAT_TEMPLATE_TOKEN =
  /<\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id|begin_of_text|end_of_text)\|>|\[\/?inst\]|<<\/?sys>>|<\/?(?:system|sys|system_prompt|system_instructions|developer_instructions|admin_instructions|admin|instructions_override)>|<\/?(?:start_of_turn|end_of_turn)>/g

/** "[SYSTEM NOTICE]", "[ADMIN]", "<instructions priority=\"high\">": a role's voice faked in brackets or a tag with attributes. */
export const ROLE_TAG =
  /\[\/?(?:system|sys|admin|administrator|developer|operator)(?:[ _-](?:notice|message|prompt|override|update|note|alert|instructions?|command|mode))?\]|<(?:system|instructions|admin|developer)(?:\s+[a-z_-]{1,20}=["'][^"'<>\n]{0,30}["']){1,3}\s{0,2}>/g

export const FAKE_DELIMITER =
  /(?:^|\n)[ \t]{0,8}(?:#{2,6}\s{0,3}(?:instruction|instructions|system|response|human|assistant|new\s+instructions?|system\s+prompt)\s{0,3}:|(?:-{3,8}|={3,8}|\*{3,8}|#{3,8})\s{0,3}(?:end|begin|start)\s+(?:of\s+)?(?:the\s+)?(?:system\s+|user\s+|new\s+)?(?:prompt|input|instructions?|message|conversation|context|document)|(?:end|begin|start)\s+of\s+(?:the\s+)?(?:user\s+|system\s+)?(?:input|prompt|instructions|message|conversation|context)\s{0,3}[-=*#:.!]{0,8}\s{0,3}(?=\n|$)|system\s{0,3}(?:override|update|notice|alert|command)\s{0,3}:|(?:new\s+)?system\s+(?:prompt|message|instructions?)\s{0,3}:)/g

/** Decorated delimiters count anywhere, not only at a line start. */
export const DECORATED_DELIMITER =
  /(?:-{3,8}|={3,8}|\*{3,8}|#{3,8}|\[{1,2}|<{1,2})\s{0,3}(?:end|begin|start)\s+(?:of\s+)?(?:the\s+)?(?:system\s+|user\s+|new\s+|admin\s+|developer\s+)?(?:prompt|input|instructions?|message|conversation|context|document)\b|(?:-{3,8}|={3,8}|\*{3,8}|#{3,8})\s{0,3}(?:(?:begin|start|new)\s+(?:of\s+)?(?:the\s+|an?\s+)?)?(?:system|admin|administrator|developer|operator)(?:\s+(?:message|instructions?|prompt|override|notice|note|mode|update))?\s{0,3}(?:-{3,8}|={3,8}|\*{3,8}|#{3,8}|:)|\b(?:user\s+)?input\s+ends\s+here\b|\bsystem\s{1,3}(?:override|command)\s{0,3}:/g

export const ROLE_LABEL = /(?:^|\n)[ \t]{0,8}(?:system|assistant|developer|admin|root)\s{0,3}:\s{0,3}\S/g

export const JSON_SYSTEM_ROLE = /["']role["']\s{0,3}:\s{0,3}["'](?:system|developer)["']/g

// ------------------------------------------------------------ context

/** Explanatory or question frames at a sentence start: "explain how …", "why does …". */
export const EXPLAIN_FRAME = /^\s{0,3}(?:can\s+you\s+|could\s+you\s+|please\s+)?(?:explain|describe|why|how|what|is|are|does|do|should|would|which)\b/

/** Words that mark a discussion about attacks rather than an attack. */
export const META_DISCUSSION =
  /\b(?:inject\w{0,6}|jailbreak\w{0,4}|attack\w{0,3}|examples?|phrases?|detect\w{0,5}|classif\w{0,8}|dataset|benchmark|malicious|adversarial|security|defen[cs]\w{0,3}|prevent\w{0,4}|mitigat\w{0,5}|research\w{0,4}|paper|red[- ]team\w{0,4}|guardrails?|meaning|means?|called|explain\w{0,3}|sentence|string|regex|pattern|test(?:s|ing)?|test\s+cases?|checklist|evaluat\w{0,5}|vulnerab\w{0,6}|exploit\w{0,3}|threat\w{0,2}|leak\w{0,3}|tokens?|templates?|syntax|escape|sanitiz\w{0,5}|lesson|slide|workshop|training\s+data)\b/

/** An introducer right before the match: 'phrases like "…"', 'e.g. …'. */
export const META_INTRO =
  /(?:phrases?|sentences?|strings?|prompts?|inputs?|messages?|text|examples?|like|such\s+as|e\.g\.|for\s+instance|called|known\s+as|the\s+words|says?|said|containing|contains)\s{0,3}[:,]?\s{0,3}["'“`«]?\s{0,2}$/
