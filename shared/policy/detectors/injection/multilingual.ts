/**
 * Overrides, leak requests, persona jailbreaks and fake delimiters in
 * German, French, Spanish, Italian, Portuguese and Dutch. Each language has
 * its own word classes, written from how people phrase these requests in it
 * (separable verbs, reflexives, "what you were told" clauses, idioms such as
 * "pasa de", "trek je niks aan van", "fais abstraction de"), not from the
 * English list. The frames are the same in every language:
 *
 * - override: a dismissing verb, then instructions that point at the model
 *   (yours, the previous ones, the ones you were given) or "everything you
 *   were told";
 * - stated: the model's instructions declared void ("… sind aufgehoben",
 *   "… ya no valen");
 * - leak: a revealing verb and the system prompt, the model's instructions
 *   from the start, or the text above the user's message; a question for
 *   the instructions the model was given;
 * - persona: a role given to the model ("ab jetzt bist du …") with no rules
 *   or filters;
 * - delimiter: a decorated "end of the prompt" line.
 *
 * They run on normalised text (lower case, accents folded: "übersetze" is
 * "ubersetze"), only in windows around the anchor words listed at the end
 * (see lexicon.ts), and every quantifier is bounded.
 */

interface Language {
  /** Imperatives that dismiss what follows ("vergiss", "haz caso omiso de"). */
  dismiss: string
  /** Frames of this language alone ("lass … weg", "gelten … nicht mehr"): `(noun)` stands for the instructions, with their qualifiers. */
  extra?: Array<[FrameKind, string]>
  /** Nouns for the model's instructions. */
  noun: string
  /** Words before the noun that make them the model's: yours, all, previous, initial. */
  qual: string
  /** What may follow the noun to the same effect: "… de antes", "… que te dieron". */
  after: string
  /** Among those, the clauses that say the instructions were given to the model ("… qu'on t'a données"), or when ("… at the start"). */
  givenYou: string
  /** "Everything you were told", a target without a noun. */
  told: string
  /** Predicates that declare instructions void. */
  stated: string
  /** Verbs that ask for text to be shown. */
  reveal: string
  /** The system prompt, or the model's instructions, named. */
  prompt: string
  /** Text before the user's message, named as such: "the text above this message". */
  aboveStrong: string
  /** "The text above", which may be the user's own. */
  above: string
  /** Verbs of editing tasks (translate, correct …) used to disguise a leak. */
  edit: string
  /** Question words that ask which instructions. */
  which: string
  /** How instructions reach the model: given, received. */
  given: string
  /** A role given to the model. */
  persona: string
  /** No rules, no filters. */
  nolimit: string
  /** Nouns of what a fake delimiter says has ended. */
  delimNoun: string
}

const LANGUAGES: Record<string, Language> = {
  de: {
    dismiss:
      'vergiss|vergesst|vergessen\\s+sie|ignorier(?:e|t|en\\s+sie)?|missachte|ubergeh(?:e|en\\s+sie)?|setz(?:e)?\\s+dich\\s+uber|setzen\\s+sie\\s+sich\\s+uber|kummer(?:e)?\\s+dich\\s+nicht\\s+(?:mehr\\s+)?um|schei(?:ß|ss)\\s+auf|pfeif(?:e)?\\s+auf|halt(?:e)?\\s+dich\\s+nicht\\s+(?:mehr|langer)\\s+an|halten\\s+sie\\s+sich\\s+nicht\\s+(?:mehr|langer)\\s+an|befolge\\s+nicht\\s+(?:mehr|langer)|verwirf|vernachlassige|hebe?\\s+auf',
    extra: [
      [
        'leak',
        '\\bwas\\s+(?:steht|stand)\\s+(?:\\w+\\s+){0,2}?in\\s+(?:deinen|ihren)\\s+(?:\\w+\\s+)?(?:anweisungen|vorgaben|instruktionen|systemprompt|regeln)\\b',
      ],
      ['override', '\\blass(?:t|en\\s+sie)?\\b[^.!?\\n]{0,40}?(noun)\\b[^.!?\\n]{0,40}?\\b(?:weg|beiseite|au(?:ß|ss)er\\s+acht|links\\s+liegen|fallen)\\b'],
      ['stated', '\\b(?:gelten|zahlen)\\s+(?:[\\w-]{1,25}\\s+){0,4}?(noun)\\s+(?:[\\w-]{1,25}\\s+){0,3}?nicht\\s+mehr\\b'],
    ],
    noun: 'anweisung(?:en)?|vorgaben?|regeln|richtlinien|instruktionen|befehle|einschrankungen|beschrankungen|systemprompts?|systemanweisung(?:en)?|leitlinien|direktiven|programmierung',
    qual: 'deine[nmrs]?|dein|ihre[nmrs]?|eure[nmrs]?|alle[nmrs]?|vorherige[nmrs]?|bisherige[nmrs]?|obige[nmrs]?|fruhere[nmrs]?|ursprungliche[nmrs]?|anfangliche[nmrs]?|vorgegebene[nmrs]?|ganzen|samtliche[nmrs]?',
    after:
      'von\\s+(?:vorhin|vorher|eben|oben|davor)|die\\s+(?:du|man\\s+dir|dir|ihnen|sie)\\s+(?:\\w+\\s+){0,3}?(?:bekommen|erhalten|gegeben|mitgegeben|gesagt|auferlegt|beigebracht)',
    givenYou:
      'die\\s+(?:du|man\\s+dir|dir|ihnen|sie)\\s+(?:\\w+\\s+){0,3}?(?:bekommen|erhalten|gegeben|mitgegeben|gesagt|auferlegt|beigebracht)|(?:ganz\\s+)?am\\s+anfang|zu\\s+beginn',
    told: '(?:alles|das),?\\s+was\\s+(?:man\\s+dir|dir|du|ihnen)\\s+(?:\\w+\\s+){0,3}?(?:gesagt|gegeben|mitgegeben|aufgetragen|befohlen|beigebracht)',
    stated:
      '(?:sind|ist|wurden|wurde)\\s+(?:\\w+\\s+){0,2}?(?:aufgehoben|ungultig|nichtig|hinfallig|widerrufen|au(?:ß|ss)er\\s+kraft|annulliert|geloscht|veraltet|abgeschafft|deaktiviert)|(?:gelten|zahlen)\\s+(?:\\w+\\s+){0,3}?nicht\\s+mehr|nicht\\s+mehr\\s+gultig',
    reveal:
      'zeig(?:e|en\\s+sie)?|gib|geben\\s+sie|nenne|verrate|schreib(?:e)?|wiederhole?|kopiere?|druck(?:e)?|sag(?:e)?|teile|offenbare|enthulle|ausgeben|zeigen|verraten|wiedergeben|auflisten',
    prompt:
      'systemprompts?|system-prompts?|systemanweisung(?:en)?|(?:deine[nmrs]?|ihre[nmrs]?)\\s+(?:\\w+\\s+)?(?:anweisungen|vorgaben|instruktionen|konfiguration|prompt)|versteckten\\s+anweisungen|geheimen\\s+anweisungen',
    aboveStrong:
      '(?:text|inhalt|alles|worte|zeilen)\\s+(?:uber|vor)\\s+(?:dieser|meiner)\\s+(?:ersten\\s+)?nachricht|was\\s+(?:dir\\s+)?vor\\s+meiner\\s+(?:ersten\\s+)?nachricht|was\\s+(?:ganz\\s+)?(?:oben|am\\s+anfang)\\s+(?:des|im)\\s+(?:gesprachs|chats?)',
    above:
      '(?:text|inhalt|alles|worte|zeilen)\\s+(?:oben|daruber|davor)|(?:obigen|vorherigen|vorangehenden)\\s+text|alles,?\\s+was\\s+(?:oben|davor|vorher)\\s+steht',
    edit: 'korrigier(?:e)?|ubersetz(?:e)?|formatier(?:e)?|fasse?|uberprufe?|prufe?|verbesser(?:e)?|lektoriere?',
    which: 'welche[nmrs]?|was\\s+fur',
    given: 'gegeben|bekommen|erhalten|mitgegeben|gesagt|aufgetragen|vorgegeben',
    persona:
      '(?:ab\\s+(?:jetzt|sofort|heute)|von\\s+nun\\s+an),?\\s+bist\\s+du|du\\s+bist\\s+(?:ab\\s+(?:jetzt|sofort)|jetzt|nun|von\\s+nun\\s+an)|stell\\s+dir\\s+vor,?\\s+du\\s+(?:bist|warst)|tu\\s+so,?\\s+als\\s+(?:ob\\s+du|warst\\s+du)|spiel(?:e)?\\s+die\\s+rolle|verhalte\\s+dich\\s+wie|antworte\\s+(?:nur\\s+noch\\s+)?als|schlupfe?\\s+in\\s+die\\s+rolle',
    nolimit:
      'ohne\\s+(?:jegliche\\s+|alle\\s+|irgendwelche\\s+)?(?:regeln|filter|einschrankungen|beschrankungen|grenzen|zensur|richtlinien|moral|ethik|vorgaben|limits)|keine(?:rlei|n)?\\s+(?:\\w+\\s+)?(?:regeln|filter|einschrankungen|grenzen|zensur|richtlinien)|unzensiert|uneingeschrankt|ungefiltert|von\\s+(?:allen|jeglichen)\\s+(?:regeln|einschrankungen)\\s+befreit',
    delimNoun: 'eingabe|nachricht|anweisungen|prompts?|benutzereingabe|nutzereingabe|konversation|gesprachs?|kontexts?|textes',
  },
  fr: {
    dismiss:
      "oublie[sz]?|ignore[sz]?|ne\\s+tien[ts]?\\s+(?:plus|pas)\\s+compte\\s+d[e']|ne\\s+tenez\\s+(?:plus|pas)\\s+compte\\s+d[e']|fai[st]\\s+abstraction\\s+d[e']|faites\\s+abstraction\\s+d[e']|laisse[sz]?\\s+tomber|passe[sz]?\\s+outre|n'ecoute[sz]?\\s+plus|ne\\s+respecte[sz]?\\s+plus|ne\\s+sui[st]\\s+plus|ne\\s+suivez\\s+plus|mets\\s+de\\s+cote|mettez\\s+de\\s+cote|ecarte[sz]?|annule[sz]?|efface[sz]?|fai[st]\\s+fi\\s+d[e']|ne\\s+fais\\s+plus\\s+attention\\s+a",
    noun: 'consignes?|instructions?|regles|directives?|restrictions|limites|filtres|lignes\\s+directrices|ordres|programmation',
    qual: 'tes|vos|ton|votre|toutes|tous|ses',
    after:
      "precedentes?|anterieures?|initiales?|d'origine|habituelles?|de\\s+depart|du\\s+debut|(?:qu'on|que\\s+l'on)\\s+(?:t'|vous\\s+)a\\s+(?:donnee?s?|fixee?s?|imposee?s?|dite?s?|transmise?s?)|que\\s+(?:tu\\s+as|vous\\s+avez)\\s+recue?s?",
    givenYou:
      "(?:qu'on|que\\s+l'on)\\s+(?:t'|vous\\s+)a\\s+(?:donnee?s?|fixee?s?|imposee?s?|dite?s?|transmise?s?)|que\\s+(?:tu\\s+as|vous\\s+avez)\\s+recue?s?|au\\s+debut|au\\s+depart",
    told: "tout\\s+ce\\s+qu(?:'on|e\\s+l'on)\\s+(?:t'|vous\\s+)a\\s+(?:dit|donne|demande|ecrit|appris)|ce\\s+qu(?:'on|e\\s+l'on)\\s+(?:t'|vous\\s+)a\\s+(?:dit|demande)",
    stated:
      "(?:sont|est|ont\\s+ete|a\\s+ete)\\s+(?:\\w+\\s+){0,2}?(?:annulee?s?|caduques?|obsoletes?|levee?s?|supprimee?s?|revoquee?s?|invalides?|nulles?|perimee?s?|desactivee?s?)|ne\\s+s'appliquent\\s+plus|ne\\s+comptent\\s+plus|ne\\s+sont\\s+plus\\s+valables",
    reveal:
      'affiche[sz]?|afficher|montre[sz]?(?:-moi)?|montrer|repete[sz]?(?:-moi)?|repeter|recopie[sz]?(?:-les)?|recopier|donne[sz]?(?:-moi)?|donner|ecri[st]|ecrivez|ecrire|revele[sz]?|reveler|dis(?:-moi)?|dites(?:-moi)?|dire|cite[sz]?|citer|reproduis|imprime[sz]?|liste[sz]?',
    prompt:
      "prompt\\s+(?:du\\s+)?systeme|instructions\\s+(?:du\\s+)?systeme|message\\s+(?:du\\s+)?systeme|(?:tes|vos)\\s+(?:instructions|consignes|regles)(?:\\s+(?:initiales|cachees|secretes|d'origine))?|(?:ton|votre)\\s+prompt",
    aboveStrong:
      '(?:texte|contenu|message|tout)\\s+(?:qui\\s+(?:se\\s+trouve\\s+)?)?au-dessus\\s+de\\s+(?:ce|mon)\\s+(?:premier\\s+)?message|(?:texte|tout)\\s+(?:qui\\s+)?precede\\s+(?:ce|mon)\\s+message',
    above: '(?:texte|contenu|message|tout)\\s+(?:ci-dessus|au-dessus|qui\\s+(?:precede|se\\s+trouve\\s+au-dessus)|precedent)|tout\\s+ce\\s+qui\\s+precede',
    edit: 'tradui[st]|traduisez|traduire|corrige[sz]?|corriger|reformule[sz]?|reecri[st]|reecrivez|resume[sz]?|verifie[sz]?|relis|relisez',
    which: 'quel(?:le)?s?|que',
    given: 'donnee?s?|fixee?s?|recue?s?|transmise?s?|dite?s?|imposee?s?',
    persona:
      "(?:a\\s+partir\\s+de\\s+maintenant|desormais|dorenavant|maintenant),?\\s+tu\\s+(?:es|seras|incarnes|joues)|tu\\s+es\\s+(?:maintenant|desormais|dorenavant)|tu\\s+incarnes|imagine\\s+que\\s+tu\\s+es|fais\\s+comme\\s+si\\s+tu\\s+etais|jouez?\\s+le\\s+role|incarne[sz]?|fais\\s+semblant\\s+d'etre|comporte-toi\\s+comme",
    nolimit:
      "sans\\s+(?:aucune?\\s+|la\\s+moindre\\s+)?(?:regles?|filtres?|restrictions?|limites?|censure|tabous?|garde-fous)|aucune?\\s+(?:regle|limite|restriction|censure|filtre)|liberee?s?\\s+de\\s+(?:toutes?\\s+)?(?:ses\\s+|les\\s+|tes\\s+)?(?:regles|restrictions|limites|contraintes)|n'a\\s+(?:aucune|plus\\s+de)\\s+(?:\\w+\\s+)?(?:regle|limite|restriction|filtre|censure)|ne\\s+refuse\\s+jamais",
    delimNoun: 'saisie|message|messages|instructions|prompts?|conversation|contexte|texte|entree|requete',
    extra: [['leak', "\\bqu(?:'est-ce\\s+qu'il\\s+y\\s+a|'y\\s+a-t-il)\\s+dans\\s+(?:tes|vos|ton|votre)\\s+(?:instructions|consignes|prompt)\\b"]],
  },
  es: {
    dismiss:
      'olvida(?:te)?(?:\\s+de)?|olvide(?:n|se)?(?:\\s+de)?|ignora|ignore(?:n)?|haz\\s+caso\\s+omiso\\s+(?:a|de)|no\\s+hagas\\s+caso\\s+(?:a|de)|pasa\\s+de|omite|descarta|deja\\s+(?:de\\s+lado|a\\s+un\\s+lado)|salta(?:te)?|no\\s+sigas|deja\\s+de\\s+seguir|no\\s+respetes|no\\s+obedezcas|prescinde\\s+de|anula|borra',
    noun: 'instrucciones|instruccion|reglas|normas|directrices|indicaciones|pautas|restricciones|limitaciones|filtros|ordenes|programacion|politicas',
    qual: 'tus|sus|todas|todos',
    after:
      'anteriores|previas|de\\s+antes|iniciales|originales|que\\s+(?:te|le)\\s+(?:dieron|dijeron|pusieron|impusieron|han\\s+dado|han\\s+puesto|dio|programaron|indicaron)|que\\s+(?:tienes|recibiste)|del\\s+sistema',
    givenYou:
      'que\\s+(?:te|le)\\s+(?:dieron|dijeron|pusieron|impusieron|han\\s+dado|han\\s+puesto|dio|programaron|indicaron)|que\\s+recibiste|al\\s+(?:principio|inicio|comienzo)',
    told: '(?:todo\\s+)?lo\\s+que\\s+(?:te|le)\\s+(?:dijeron|han\\s+dicho|dieron|indicaron|pidieron|ordenaron|ensenaron)',
    stated:
      'ya\\s+no\\s+(?:valen|sirven|aplican|cuentan|rigen|son\\s+validas|estan\\s+vigentes)|(?:quedan|han\\s+sido|fueron|estan)\\s+(?:\\w+\\s+){0,2}?(?:anuladas|canceladas|revocadas|suspendidas|desactivadas|invalidadas|sin\\s+efecto)|no\\s+(?:valen|aplican|cuentan)\\s+(?:mas|ya)',
    reveal: 'muestra(?:me)?|ensena(?:me)?|repite(?:me)?|repetir|dime|escribe(?:me)?|copia|revela(?:me)?|imprime|dame|comparte|cita|enumera|mostrar|decir',
    prompt:
      '(?:tu\\s+|el\\s+|su\\s+)?prompt\\s+(?:de|del)\\s+sistema|instrucciones\\s+(?:del|de)\\s+sistema|mensaje\\s+(?:del|de)\\s+sistema|(?:tus|sus)\\s+instrucciones(?:\\s+(?:ocultas|iniciales|originales|secretas))?|(?:tu|su)\\s+prompt|instrucciones\\s+ocultas',
    aboveStrong:
      '(?:texto|contenido|mensaje|todo)\\s+(?:que\\s+(?:hay|esta|aparece|viene)\\s+)?(?:arriba|encima|antes)\\s+de\\s+(?:este|mi)\\s+(?:primer\\s+)?mensaje|todo\\s+lo\\s+que\\s+(?:hay|esta)\\s+(?:arriba|encima|antes)\\s+de\\s+(?:este|mi)\\s+mensaje',
    above:
      '(?:texto|contenido|mensaje|todo)\\s+(?:anterior|de\\s+arriba|que\\s+(?:hay|esta|aparece|viene)\\s+(?:arriba|antes|encima))|todo\\s+lo\\s+(?:anterior|de\\s+arriba|que\\s+(?:hay|esta)\\s+(?:arriba|encima|antes))',
    edit: 'traduce(?:lo)?|corrige|revisa|reescribe|resume|reformula|formatea',
    which: 'que|cuales',
    given: 'dieron|dado|dijeron|dicho|pusieron|recibiste|programaron|indicaron',
    persona:
      '(?:a\\s+partir\\s+de\\s+ahora|desde\\s+ahora|de\\s+ahora\\s+en\\s+adelante),?\\s+(?:eres|seras|vas\\s+a\\s+ser)|ahora\\s+eres|eres\\s+ahora|haz\\s+de\\s+cuenta\\s+que\\s+eres|imagina\\s+que\\s+eres|finge\\s+(?:que\\s+eres|ser)|interpreta\\s+el\\s+papel|actua\\s+como|juega\\s+a\\s+ser|hazte\\s+pasar\\s+por|responde\\s+como',
    nolimit:
      'sin\\s+(?:ninguna\\s+|ningun\\s+|tipo\\s+de\\s+)?(?:reglas?|filtros?|restricciones|restriccion|limites?|censura|normas|tabues)|ningun[ao]?\\s+(?:restriccion|regla|limite|filtro)|no\\s+tiene\\s+(?:ninguna\\s+)?(?:reglas|limites|restricciones|filtros)|nunca\\s+se\\s+niega|libre\\s+de\\s+(?:toda[s]?\\s+)?(?:reglas|restricciones|censura)',
    delimNoun: 'prompt|mensaje|entrada|instrucciones|conversacion|contexto|texto|usuario',
    extra: [['leak', '\\bque\\s+(?:dicen|pone|hay\\s+en)\\s+(?:tus|sus)\\s+(?:instrucciones|reglas|indicaciones)\\b']],
  },
  it: {
    dismiss:
      'dimentica(?:ti|te)?|ignora(?:te)?|non\\s+tenere\\s+conto\\s+(?:di|delle|dei|degli)|non\\s+considerare|lascia\\s+(?:perdere|stare)|tralascia|trascura|scorda(?:ti)?(?:\\s+di)?|non\\s+seguire\\s+piu|smetti\\s+di\\s+seguire|non\\s+rispettare|metti\\s+da\\s+parte|annulla|cancella|salta',
    noun: 'istruzioni|istruzione|regole|direttive|linee\\s+guida|indicazioni|restrizioni|limitazioni|filtri|ordini|impostazioni|programmazione|vincoli',
    qual: 'tue|tuoi|sue|tutte|tutti',
    after:
      'precedenti|di\\s+prima|iniziali|originali|originarie|che\\s+(?:ti|le)\\s+(?:hanno\\s+(?:dato|detto|imposto)|sono\\s+state\\s+date|e\\s+stato\\s+detto)|che\\s+hai\\s+ricevuto|di\\s+sistema',
    givenYou: "che\\s+(?:ti|le)\\s+(?:hanno\\s+(?:dato|detto|imposto)|sono\\s+state\\s+date|e\\s+stato\\s+detto)|che\\s+hai\\s+ricevuto|all'inizio",
    told: 'tutto\\s+(?:quello|cio)\\s+che\\s+ti\\s+(?:e\\s+stato\\s+detto|hanno\\s+detto|hanno\\s+dato)',
    stated:
      'non\\s+(?:valgono|contano)\\s+piu|non\\s+sono\\s+piu\\s+valide|(?:sono\\s+state|sono)\\s+(?:\\w+\\s+){0,2}?(?:annullate|revocate|sospese|cancellate|disattivate|abolite)|non\\s+esist(?:ano|ono\\s+piu)',
    reveal: 'mostra(?:mi)?|ripeti|riporta(?:le|li)?|dimmi|scrivi(?:mi)?|copia|rivela(?:mi)?|stampa|dammi|elenca|cita|mostrare',
    prompt:
      'prompt\\s+di\\s+sistema|istruzioni\\s+di\\s+sistema|messaggio\\s+di\\s+sistema|(?:le\\s+)?tue\\s+istruzioni(?:\\s+(?:iniziali|nascoste|segrete|originali))?|(?:il\\s+)?tuo\\s+prompt|istruzioni\\s+nascoste',
    aboveStrong:
      "(?:testo|contenuto|messaggio|tutto)\\s+(?:che\\s+(?:c'e|sta|si\\s+trova)\\s+)?sopra\\s+(?:a\\s+)?questo\\s+messaggio|(?:testo|tutto)\\s+che\\s+precede\\s+questo\\s+messaggio",
    above:
      "(?:testo|contenuto|messaggio|tutto)\\s+(?:qui\\s+sopra|sopra|precedente|che\\s+(?:c'e|sta|si\\s+trova)\\s+sopra|che\\s+precede)|tutto\\s+(?:cio|quello)\\s+che\\s+(?:precede|c'e\\s+sopra)",
    edit: 'traduci|correggi|riscrivi|riassumi|riformula|controlla|formatta',
    which: 'quali|che',
    given: 'dato|date|detto|ricevuto|ricevute|imposto|assegnato',
    persona:
      "(?:da\\s+(?:adesso|ora)(?:\\s+in\\s+poi)?|d'ora\\s+in\\s+poi|a\\s+partire\\s+da\\s+(?:ora|adesso)),?\\s+(?:sei|sarai|tu\\s+sei)|sei\\s+ora|ora\\s+sei|immagina\\s+di\\s+essere|fai\\s+finta\\s+di\\s+essere|fingi\\s+di\\s+essere|interpreta\\s+il\\s+ruolo|comportati\\s+come|rispondi\\s+come",
    nolimit:
      'senza\\s+(?:alcun[ao]?\\s+|nessun[ao]?\\s+)?(?:regol[ae]|filtr[oi]|restrizion[ei]|limit[ei]|censura|vincol[oi])|nessun[ao]?\\s+(?:regola|limite|restrizione|filtro|censura)|non\\s+ha\\s+(?:alcun[ao]?\\s+)?(?:regole|limiti|restrizioni|filtri)|non\\s+rifiuta\\s+mai|liber[oa]\\s+da\\s+(?:ogni|tutte\\s+le)\\s+(?:regole|restrizioni)',
    delimNoun: 'prompt|messaggio|input|istruzioni|conversazione|contesto|testo|utente',
    extra: [['leak', "\\bcosa\\s+(?:c'e\\s+(?:scritto\\s+)?nelle|dicono\\s+le)\\s+tue\\s+istruzioni\\b"]],
  },
  pt: {
    dismiss:
      'esquece|esqueca|esquecam|ignora|ignore|ignorem|desconsidere|desconsidera|nao\\s+ligue(?:s)?\\s+(?:para|pra|as|aos)|deixa\\s+de\\s+lado|deixe\\s+de\\s+lado|poe\\s+de\\s+parte|ponha\\s+de\\s+lado|nao\\s+sigas|nao\\s+siga(?:m)?|pare\\s+de\\s+seguir|deixa\\s+de\\s+seguir|descarta|descarte|anula|anule|pula|salta',
    noun: 'instrucoes|instrucao|regras|diretrizes|orientacoes|indicacoes|normas|restricoes|limitacoes|filtros|ordens|programacao|politicas',
    qual: 'tuas|suas|todas|todos|teu|seu',
    after:
      'anteriores|previas|de\\s+antes|iniciais|originais|que\\s+(?:te|lhe)\\s+(?:deram|disseram|passaram|impuseram|foram\\s+dadas)|que\\s+(?:recebeu|recebeste)|do\\s+sistema',
    givenYou: 'que\\s+(?:te|lhe)\\s+(?:deram|disseram|passaram|impuseram|foram\\s+dadas)|que\\s+(?:recebeu|recebeste)|no\\s+(?:inicio|comeco)',
    told: '(?:tudo\\s+)?o\\s+que\\s+(?:te|lhe)\\s+(?:disseram|deram|mandaram|pediram|foi\\s+dito)',
    stated:
      '(?:foram|estao|sao|ficam)\\s+(?:\\w+\\s+){0,2}?(?:canceladas|anuladas|revogadas|suspensas|invalidas|desativadas|sem\\s+efeito)|ja\\s+nao\\s+(?:valem|contam|se\\s+aplicam)|nao\\s+(?:valem|contam)\\s+mais',
    reveal:
      'mostra(?:-me)?|mostre(?:-me)?|repete|repita|diz(?:-me)?|diga(?:-me)?|escreve|escreva|copia|copie|revela|revele|imprime|imprima|da-me|passa-me|cita|mostrar',
    prompt:
      'prompt\\s+(?:do|de)\\s+sistema|instrucoes\\s+(?:do|de)\\s+sistema|mensagem\\s+(?:do|de)\\s+sistema|(?:as\\s+)?(?:tuas|suas)\\s+instrucoes(?:\\s+(?:iniciais|ocultas|secretas|originais))?|(?:o\\s+)?(?:teu|seu)\\s+prompt|instrucoes\\s+ocultas',
    aboveStrong:
      '(?:texto|conteudo|mensagem|tudo)\\s+(?:que\\s+(?:esta|vem|aparece)\\s+)?(?:acima|antes)\\s+(?:desta|da\\s+minha)\\s+(?:primeira\\s+)?mensagem|tudo\\s+o\\s+que\\s+(?:esta|vem)\\s+(?:acima|antes)\\s+(?:desta|da\\s+minha)\\s+mensagem',
    above:
      '(?:texto|conteudo|mensagem|tudo)\\s+(?:acima|anterior|de\\s+cima|que\\s+(?:esta|vem|aparece)\\s+(?:acima|antes))|tudo\\s+o\\s+que\\s+(?:esta|vem)\\s+(?:acima|antes)',
    edit: 'traduz(?:a)?|corrige|corrija|reescreve|reescreva|resume|resuma|revisa|revise|formata|formate',
    which: 'quais|que',
    given: 'deram|dado|dadas|disseram|dito|passaram|recebeu|recebeste|impuseram',
    persona:
      '(?:a\\s+partir\\s+de\\s+agora|de\\s+agora\\s+em\\s+diante|daqui\\s+em\\s+diante|desde\\s+agora),?\\s+(?:voce\\s+e|tu\\s+es|es|e|seras|sera|vais\\s+ser|vai\\s+ser)|agora\\s+(?:voce\\s+e|es|tu\\s+es)|finge\\s+(?:que\\s+es|ser)|finja\\s+(?:que\\s+e|ser)|imagina\\s+que\\s+(?:es|e)|imagine\\s+que\\s+(?:voce\\s+)?e|faz\\s+de\\s+conta\\s+que|interpreta\\s+o\\s+papel|age\\s+como|aja\\s+como|responde\\s+como',
    nolimit:
      'sem\\s+(?:quaisquer\\s+|nenhuma\\s+|nenhum\\s+|qualquer\\s+)?(?:regras?|filtros?|restricoes|restricao|limites?|censura|limitacoes)|nenhuma?\\s+(?:regra|restricao|limite|censura|filtro)|nao\\s+tem\\s+(?:nenhuma\\s+)?(?:regras|limites|restricoes)|nunca\\s+recusa|livre\\s+de\\s+(?:todas\\s+as\\s+)?(?:regras|restricoes)',
    delimNoun: 'prompt|mensagem|entrada|instrucoes|conversa|contexto|texto|utilizador|usuario',
    extra: [['leak', '\\bo\\s+que\\s+(?:diz|dizem|ha\\s+nas|esta\\s+nas)\\s+(?:tuas|suas)\\s+instrucoes\\b']],
  },
  nl: {
    dismiss:
      'vergeet|negeer|negeren|trek\\s+je\\s+(?:niks|niets)\\s+aan\\s+van|houd?\\s+je\\s+niet\\s+(?:meer|langer)\\s+aan|volg\\s+niet\\s+(?:meer|langer)|lap\\s+(?:\\w+\\s+){0,3}?aan\\s+je\\s+laars|omzeil|annuleer|wis|schrap',
    extra: [
      ['leak', '\\bwat\\s+(?:staat\\s+er\\s+in|zeggen)\\s+(?:je|jouw|uw)\\s+(?:instructies|systeemprompt)\\b'],
      [
        'override',
        '\\b(?:laat|zet|schuif|gooi)\\b[^.!?\\n]{0,40}?(noun)\\b[^.!?\\n]{0,40}?\\b(?:voor\\s+wat\\s+(?:ze|het)\\s+(?:zijn|is)|varen|links\\s+liggen|achterwege|opzij|terzijde|overboord|vallen)\\b',
      ],
      [
        'leak',
        '\\blaat\\s+(?:me\\s+|mij\\s+|ons\\s+)?(?:eens\\s+)?(?:(?:je|jouw|uw)\\s+)?(?:[\\w-]{1,25}\\s+)?(?:instructies|prompt|regels|systeemprompt|systeeminstructies)\\b[^.!?\\n]{0,30}?\\bzien\\b',
      ],
    ],
    noun: 'instructies|instructie|regels|richtlijnen|aanwijzingen|opdrachten|voorschriften|beperkingen|systeemprompt|systeeminstructies|programmering',
    qual: 'je|jouw|uw|alle|al\\s+je|vorige|eerdere|voorgaande|oorspronkelijke|originele',
    after:
      '(?:die|dat)\\s+(?:je|jij|u)\\s+(?:eerder\\s+|vooraf\\s+)?(?:hebt\\s+|heeft\\s+)?(?:gekregen|ontvangen|meegekregen)|van\\s+(?:eerder|daarnet|tevoren)',
    givenYou:
      '(?:die|dat)\\s+(?:je|jij|u)\\s+(?:eerder\\s+|vooraf\\s+)?(?:hebt\\s+|heeft\\s+)?(?:gekregen|ontvangen|meegekregen)|aan\\s+het\\s+begin|in\\s+het\\s+begin',
    told: 'alles\\s+wat\\s+(?:je|jou|u)\\s+(?:\\w+\\s+){0,2}?(?:is\\s+)?(?:verteld|gezegd|gegeven|opgedragen)',
    stated:
      '(?:gelden|tellen)\\s+(?:\\w+\\s+){0,3}?niet\\s+(?:meer|langer)|(?:zijn|werden)\\s+(?:\\w+\\s+){0,2}?(?:vervallen|ingetrokken|opgeheven|geannuleerd|ongeldig|vervangen|uitgeschakeld)|niet\\s+meer\\s+geldig',
    reveal: 'toon|herhaal|geef|vertel|schrijf|kopieer|print|citeer|onthul|deel',
    prompt:
      'systeemprompt|systeem-prompt|systeeminstructies|systeembericht|(?:je|jouw|uw)\\s+(?:oorspronkelijke\\s+|verborgen\\s+|geheime\\s+)?(?:instructies|prompt)',
    aboveStrong:
      '(?:tekst|inhoud|berichten|alles)\\s+(?:die\\s+|wat\\s+)?boven\\s+(?:dit|mijn)\\s+(?:eerste\\s+)?bericht|alles\\s+wat\\s+(?:er\\s+)?voor\\s+mijn\\s+(?:eerste\\s+)?bericht',
    above: '(?:tekst|inhoud|berichten|alles)\\s+(?:hierboven|hiervoor|daarboven|(?:die|wat)\\s+(?:hierboven|ervoor)\\s+staat)',
    edit: 'vertaal|corrigeer|verbeter|herschrijf|vat|controleer|formatteer',
    which: 'welke|wat\\s+voor',
    given: 'gekregen|ontvangen|meegekregen|gegeven|verteld|opgedragen',
    persona:
      '(?:vanaf\\s+nu|vanaf\\s+dit\\s+moment|voortaan),?\\s+(?:ben\\s+(?:je|jij)|zal\\s+je|speel\\s+je)|je\\s+bent\\s+(?:nu|vanaf\\s+nu)|doe\\s+alsof\\s+(?:je|jij)|stel\\s+je\\s+voor\\s+dat\\s+(?:je|jij)|speel\\s+de\\s+rol|gedraag\\s+je\\s+als|antwoord\\s+als',
    nolimit:
      'zonder\\s+(?:enige\\s+|alle\\s+|welke\\s+)?(?:regels|filters?|beperkingen|grenzen|censuur|restricties|richtlijnen)|geen\\s+(?:enkele\\s+)?(?:regels|filters|beperkingen|grenzen|censuur)|weigert\\s+nooit|vrij\\s+van\\s+(?:alle\\s+)?(?:regels|beperkingen)',
    delimNoun: 'prompt|bericht|invoer|instructies|gesprek|context|tekst|gebruikersinvoer',
  },
}

/** A match of one frame, scored by the caller's rules (index.ts). */
export type FrameKind = 'override' | 'stated' | 'leak' | 'leakAbove' | 'leakAboveStrong' | 'question' | 'persona' | 'delimiter'

export interface Frame {
  kind: FrameKind
  lang: string
  re: RegExp
}

/** "N'oublie pas les consignes", "não ignore as regras", "vergiss nicht …": a reminder to keep them. */
const NOT_NEGATED = "(?<!\\b(?:nao|no|non|nicht|niet|ne|n')\\s{0,2})"
const KEEP = '(?!\\s+(?:pas|jamais|nicht|nie|niet|nooit)\\b)'

const WORD_GAP = (n: number) => `(?:\\W{1,4}[\\w'-]{1,25}){0,${n}}?\\W{1,4}`

function framesOf(lang: string, l: Language): Frame[] {
  const noun = `(?:${l.noun})`
  const withNoun = `(?:(?:${l.qual})\\W{1,4}(?:[\\w'-]{1,25}\\W{1,4}){0,2}?${noun}\\b|${noun}\\b${WORD_GAP(3)}(?:${l.after}))`
  const frames: Frame[] = [
    {
      kind: 'override',
      lang,
      re: new RegExp(
        `${NOT_NEGATED}\\b(?:${l.dismiss})\\b${KEEP}${WORD_GAP(6)}${withNoun}|${NOT_NEGATED}\\b(?:${l.dismiss})\\b${KEEP}${WORD_GAP(3)}(?:${l.told})`,
        'g',
      ),
    },
    { kind: 'stated', lang, re: new RegExp(`${withNoun}${WORD_GAP(4)}(?:${l.stated})`, 'g') },
    { kind: 'leak', lang, re: new RegExp(`\\b(?:${l.reveal})\\b${WORD_GAP(4)}(?:${l.prompt}|${noun}\\b${WORD_GAP(3)}(?:${l.givenYou}))`, 'g') },
    { kind: 'leakAboveStrong', lang, re: new RegExp(`\\b(?:${l.reveal}|${l.edit})\\b${WORD_GAP(5)}(?:${l.aboveStrong})`, 'g') },
    { kind: 'leakAbove', lang, re: new RegExp(`\\b(?:${l.reveal}|${l.edit})\\b${WORD_GAP(5)}(?:${l.above})`, 'g') },
    {
      kind: 'question',
      lang,
      re: new RegExp(`\\b(?:${l.which})\\s+(?:[\\w'-]{1,25}\\s+){0,2}?${noun}\\b(?:\\W{1,4}[\\w'-]{1,25}){0,6}?\\W{1,4}(?:${l.given})\\b`, 'g'),
    },
    { kind: 'persona', lang, re: new RegExp(`(?:${l.persona})\\b[^.!?\\n]{0,120}?(?:${l.nolimit})`, 'g') },
    {
      kind: 'delimiter',
      lang,
      re: new RegExp(
        `(?:-{2,8}|={2,8}|#{2,8}|\\*{2,8}|~{2,8}|<{2,4}|\\[{1,2})\\s{0,3}(?:fin|fine|ende|einde|fim|final)\\s+(?:[a-z]{1,6}\\s+){0,2}?(?:${l.delimNoun})\\b`,
        'g',
      ),
    },
  ]
  const qualNoun = `(?:(?:${l.qual})\\W{1,4}(?:[\\w'-]{1,25}\\W{1,4}){0,2}?)?${noun}`
  for (const [kind, source] of l.extra ?? []) frames.push({ kind, lang, re: new RegExp(source.replace('(noun)', qualNoun), 'g') })
  return frames
}

/** Every language's frames. */
export const FRAMES: readonly Frame[] = Object.entries(LANGUAGES).flatMap(([lang, l]) => framesOf(lang, l))

/**
 * The model addressed in these languages (you, your), a new task handed to
 * it, or a demand that it obey the writer: a stated dismissal or a question
 * about instructions is the model's with one of these near it.
 */
export const ADDRESSED = new RegExp(
  '\\b(?:' +
    [
      'du|dir|dich|deine[nmrs]?|dein|ab\\s+(?:jetzt|sofort)|von\\s+nun\\s+an|neue\\s+aufgabe|was\\s+ich\\s+sage',
      "tu|te|toi|ta|tes|ton|vos|votre|t'\\w+|desormais|a\\s+partir\\s+de\\s+maintenant|nouvelle\\s+(?:mission|tache|consigne)|c'est\\s+moi\\s+qui",
      'tus|ti|tuyas?|a\\s+partir\\s+de\\s+ahora|nueva\\s+(?:tarea|mision|instruccion)|me\\s+obedeces|mando\\s+yo',
      "tue|tuoi|tua|tuo|d'ora\\s+in\\s+poi|da\\s+(?:ora|adesso)|nuovo\\s+compito|nuova\\s+missione|segui\\s+(?:solo\\s+)?me|comando\\s+io",
      'teu|tua|tuas|voce|lhe|a\\s+partir\\s+de\\s+agora|nova\\s+(?:tarefa|missao)|me\\s+obedece|quem\\s+manda',
      'je|jij|jouw|uw|vanaf\\s+nu|voortaan|nieuwe\\s+(?:taak|opdracht)|volg\\s+(?:je|jij)\\s+mij|doe\\s+wat\\s+ik\\s+zeg',
    ].join('|') +
    ')\\b',
)

/**
 * Anchor words per language: every frame's match holds one of its
 * language's (a noun, a word of "the text above", a "no rules" word, an
 * end-of-prompt word, a verb of "what you were told"), so a language's
 * frames run only around them. Words English shares ("instructions",
 * "prompt", "final") are left out, so English text wakes none of them.
 */
const ANCHORS_BY_LANGUAGE: Record<string, string[]> = {
  de: [
    'anweisung',
    'anweisungen',
    'vorgabe',
    'vorgaben',
    'regeln',
    'richtlinien',
    'instruktionen',
    'befehle',
    'einschrankungen',
    'beschrankungen',
    'systemprompt',
    'systemprompts',
    'systemanweisung',
    'systemanweisungen',
    'leitlinien',
    'direktiven',
    'programmierung',
    'gesagt',
    'gegeben',
    'mitgegeben',
    'oben',
    'daruber',
    'davor',
    'nachricht',
    'obigen',
    'ohne',
    'keine',
    'keinerlei',
    'unzensiert',
    'uneingeschrankt',
    'ungefiltert',
    'ende',
    'eingabe',
  ],
  fr: [
    'consigne',
    'consignes',
    'regles',
    'ordres',
    'filtres',
    'limites',
    'programmation',
    'tes',
    'vos',
    'toutes',
    'precedentes',
    'anterieures',
    'initiales',
    'donnees',
    'fixees',
    'recues',
    'systeme',
    'dit',
    'donne',
    'au-dessus',
    'ci-dessus',
    'precede',
    'sans',
    'aucune',
    'aucun',
    'liberee',
    'libere',
    'fin',
  ],
  es: [
    'instrucciones',
    'instruccion',
    'reglas',
    'normas',
    'directrices',
    'indicaciones',
    'pautas',
    'restricciones',
    'limitaciones',
    'filtros',
    'ordenes',
    'programacion',
    'politicas',
    'sistema',
    'dijeron',
    'dicho',
    'dieron',
    'arriba',
    'encima',
    'anterior',
    'mensaje',
    'sin',
    'ningun',
    'ninguna',
    'libre',
    'niega',
    'fin',
  ],
  it: [
    'istruzioni',
    'istruzione',
    'regole',
    'direttive',
    'guida',
    'indicazioni',
    'restrizioni',
    'limitazioni',
    'filtri',
    'ordini',
    'impostazioni',
    'programmazione',
    'vincoli',
    'sistema',
    'detto',
    'sopra',
    'precedente',
    'precede',
    'messaggio',
    'senza',
    'nessun',
    'nessuna',
    'rifiuta',
    'del',
    'dell',
  ],
  pt: [
    'instrucoes',
    'instrucao',
    'regras',
    'diretrizes',
    'orientacoes',
    'normas',
    'restricoes',
    'limitacoes',
    'filtros',
    'ordens',
    'programacao',
    'politicas',
    'sistema',
    'disseram',
    'deram',
    'dito',
    'acima',
    'anterior',
    'mensagem',
    'sem',
    'nenhum',
    'nenhuma',
    'quaisquer',
    'recusa',
    'livre',
    'fim',
  ],
  nl: [
    'instructies',
    'instructie',
    'regels',
    'richtlijnen',
    'aanwijzingen',
    'opdrachten',
    'voorschriften',
    'beperkingen',
    'systeemprompt',
    'systeeminstructies',
    'systeembericht',
    'programmering',
    'verteld',
    'gezegd',
    'boven',
    'hierboven',
    'hiervoor',
    'bericht',
    'zonder',
    'geen',
    'weigert',
    'vrij',
    'einde',
  ],
}

/** Every anchor word, with the languages (bit i: LANGUAGE_CODES[i]) it wakes. */
export const LANGUAGE_CODES: readonly string[] = Object.keys(LANGUAGES)
export const ANCHOR_LANGUAGES = new Map<string, number>()
for (const [lang, words] of Object.entries(ANCHORS_BY_LANGUAGE)) {
  const bit = 1 << LANGUAGE_CODES.indexOf(lang)
  for (const w of words) ANCHOR_LANGUAGES.set(w, (ANCHOR_LANGUAGES.get(w) ?? 0) | bit)
}
