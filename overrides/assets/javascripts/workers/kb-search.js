/*
 * The site's search worker: Material's own worker, unchanged, searching in the reader's language.
 *
 * Material lets a site name its own search worker (the "search" entry of its page configuration,
 * set in overrides/main.html); this one imports Material's and changes what a query finds (the index
 * it gets holds the reader's language only: hooks/kb_search.py writes one per language, in the
 * language's folder, which is the "base" Material fetches it from):
 *
 * 1. One pipeline for the index and for the queries: trim punctuation, drop stop words, fold case
 *    and accents, stem with the language's lunr stemmer (English, Greek, Russian, Turkish) or the
 *    light Lithuanian one of kb-search-text.js. Folding comes first because the Greek stemmer only
 *    understands unaccented letters, and because then every spelling of a word stems alike.
 * 2. Material appends a wildcard to every query term for search-as-you-type, and lunr runs no
 *    pipeline on wildcard terms; each query term is therefore passed through the same pipeline
 *    when lunr's query parser adds it, keeping the wildcard (prefix matching on the stem).
 *    A word found whole counts more than the longer words it starts.
 * 3. A word that finds nothing as typed is a typo: it also looks for the index's words within one
 *    edit (five letters or more) or two (eight or more) — a letter wrong, missing, added, or two
 *    letters swapped —, at a low weight, so that exact and prefix matches always rank first.
 * 4. Two words typed together also match a phrase of the words staff type ("money back") whole.
 * 5. On Greek pages, a word typed in Latin letters that finds nothing is also read as Greek ("greeklish").
 * 6. A word the glossary says to avoid also looks for the approved term (the index's configuration
 *    "kb_synonyms").
 *
 * Field weights (title, the words staff type, tags, text) and each page's weight by its type come
 * with the index (hooks/kb/rendering/searching.py).
 *
 * URL parameters (from overrides/main.html): lang, the reader's language; material, the file name of
 * Material's worker in this folder; stemmer, "lunr" when Material ships lunr-languages' stemmer for lang.
 */
(() => {
  "use strict"

  const params = new URL(self.location.href).searchParams
  const language = params.get("lang") || "en"

  /* Message types of Material's search worker protocol */
  const SETUP = 0

  /* Material's worker registers its message handler when imported: hand it prepared messages. */
  const listen = self.addEventListener
  self.addEventListener = function (type, listener, options) {
    const prepared = type === "message"
      ? event => listener({ data: prepare(event.data) })
      : listener
    return listen.call(self, type, prepared, options)
  }
  importScripts(params.get("material"))
  delete self.addEventListener

  importScripts("../kb-search-text.js")
  const { fold, trim, stemLithuanian } = self.kbSearchText

  /* The language's stemmer and stop words (lunr's own for English); "stemmer=lunr" when Material ships
     lunr-languages' for the language (hooks/kb_search.py looks) */
  const stemmed = params.get("stemmer") === "lunr"
  if (stemmed)
    importScripts(
      "../lunr/min/lunr.stemmer.support.min.js",
      `../lunr/min/lunr.${language}.min.js`
    )
  const english = { stemmer: lunr.stemmer, stopWordFilter: lunr.stopWordFilter }
  const rules = stemmed ? lunr[language] : language === "en" ? english : null

  /* A stem is kept to four letters at least (the word's own first letters): the Turkish stemmer makes
     "ha" of "hata" and "mu" of "müdür", which as prefixes would match almost every word. */
  const SHORTEST_STEM = 4

  function stem(word) {
    const stemmed = rules ? rules.stemmer(new lunr.Token(word, {})).toString()
      : language === "lt" ? stemLithuanian(word) : word
    return stemmed.length < Math.min(word.length, SHORTEST_STEM) ? word.slice(0, SHORTEST_STEM) : stemmed
  }

  /* Stop word lists are lower case, some with accents (Turkish), some without (Greek) */
  function isStopWord(word) {
    if (!rules) return false
    const keep = w => rules.stopWordFilter(new lunr.Token(w, {})) !== undefined
    return !keep(word) || !keep(fold(word))
  }

  /* lunr pipeline functions that take tokens (index) or strings (Material's query analysis) */
  function pipelineFunction(label, fn) {
    const wrapped = token => {
      if (typeof token === "string") return fn(token) || undefined
      const word = fn(token.toString())
      return word ? token.update(() => word) : undefined
    }
    lunr.Pipeline.registerFunction(wrapped, `kb-${label}`)
    return wrapped
  }

  /* lunr builds every index with trimmer, stopWordFilter and stemmer: make them this language's */
  lunr.trimmer = pipelineFunction("trimmer", trim)
  lunr.stopWordFilter = pipelineFunction("stopWordFilter", word => (isStopWord(word) ? "" : word))
  lunr.stemmer = pipelineFunction("stemmer", word => stem(fold(word)))

  /** The index term a query term stands for: the same pipeline, keeping stop words */
  function queryTerm(term) {
    const word = trim(term)
    if (!word) return term
    return isStopWord(word) ? fold(word) : stem(fold(word))
  }

  /* The terms of the index, sorted, once lunr has built it (for typo tolerance) */
  let indexTerms = []
  const build = lunr.Builder.prototype.build
  lunr.Builder.prototype.build = function () {
    const index = build.call(this)
    indexTerms = Object.keys(index.invertedIndex).sort()
    return index
  }

  /** Whether some index term starts with `prefix` (binary search in the sorted terms) */
  function hasPrefix(prefix) {
    let low = 0, high = indexTerms.length
    while (low < high) {
      const middle = (low + high) >> 1
      if (indexTerms[middle] < prefix) low = middle + 1
      else high = middle
    }
    return low < indexTerms.length && indexTerms[low].startsWith(prefix)
  }

  const PREFIX_BOOST = 0.4    /* a word's prefix matches count less than the word's own */
  const FUZZY_BOOST = 0.7     /* a typo stands for the word meant: only a word with no match of its own has near terms */
  const FUZZY_LIMIT = 24      /* index terms one query word may stand for */
  const ENDING = 4            /* letters of an ending a stemmer may leave on a misspelt word */

  /** Edits allowed in a word of this many letters */
  function allowedEdits(length) {
    return length >= 8 ? 2 : length >= 5 ? 1 : 0
  }

  /**
   * How far `term` (an index term, a stem) is from the query word `word` (folded, stemmed): the
   * optimal string alignment distance (a swap of two neighbours is one edit), also allowing the term
   * to go on after the word (a word still being typed). When the stemmer left the misspelt word whole
   * (`whole`), the word may also go on after the term by up to ENDING letters (the ending it could not
   * strip; a term of four letters must then be the word's start exactly): such a match counts half an
   * edit more, so that whole-word matches come first.
   */
  function distance(word, term, most, whole) {
    const n = word.length, m = term.length
    if (m - n > most && m < n - most - (whole ? ENDING : 0)) return Infinity
    let before = null, previous = new Array(m + 1), current = new Array(m + 1)
    for (let j = 0; j <= m; j++) previous[j] = j
    let ending = Infinity
    for (let i = 1; i <= n; i++) {
      current[0] = i
      let rowBest = current[0]
      for (let j = 1; j <= m; j++) {
        const cost = word[i - 1] === term[j - 1] ? 0 : 1
        let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if (before && i > 1 && j > 1 && word[i - 1] === term[j - 2] && word[i - 2] === term[j - 1])
          d = Math.min(d, before[j - 2] + 1)
        current[j] = d
        if (d < rowBest) rowBest = d
      }
      if (rowBest > most) return ending + 0.5                  /* no alignment can come back */
      if (whole && i < n && i >= n - ENDING && (m >= 5 || current[m] === 0)) ending = Math.min(ending, current[m])
      ;[before, previous, current] = [previous, current, before || new Array(m + 1)]
    }
    let full = Infinity
    for (let j = Math.max(0, n - most); j <= m; j++) full = Math.min(full, previous[j])   /* word, then more */
    return full <= most ? full : ending + 0.5
  }

  /** The index terms a misspelt word may stand for, nearest first, each with its weight (the nearest 1,
      one edit further ½…); failing any, the index terms the word as typed starts with (a stemmer may cut
      a misspelt word short of its stem) */
  function nearTerms(word, raw) {
    const most = allowedEdits(raw.length)
    if (!most || isStopWord(raw) || hasPrefix(word)) return []
    const whole = word === raw
    const found = []
    for (const term of indexTerms) {
      if (term.length < 4 || term.startsWith(PHRASE_MARK)) continue
      const d = distance(word, term, most, whole)
      if (d <= most + 0.5) found.push([d, term])
    }
    if (!found.length)
      return indexTerms.filter(term => term.length >= 4 && raw.startsWith(term)).slice(0, FUZZY_LIMIT)
        .map(term => [term, 1])
    found.sort((a, b) => a[0] - b[0] || a[1].length - b[1].length)
    return found.slice(0, FUZZY_LIMIT).map(([d, term]) => [term, 1 / (1 + d - found[0][0])])
  }

  /* The glossary's avoided words of this language (folded), each with the approved term's words */
  let synonyms = []
  function approvedFor(raw) {
    const word = fold(raw)
    const words = []
    for (const [avoided, approved] of synonyms)
      if (avoided.endsWith("*") ? word.startsWith(avoided.slice(0, -1)) : word === avoided)
        words.push(...approved)
    return words
  }

  /* Greek typed in Latin letters ("greeklish": thymomenos, parapono), read as Greek letters; the vowels
     that sound alike (ι η υ, ο ω) are then forgiven as typos */
  const GREEKLISH = [["th", "θ"], ["ch", "χ"], ["ps", "ψ"], ["ks", "ξ"], ["ph", "φ"], ["a", "α"], ["b", "β"],
    ["v", "β"], ["g", "γ"], ["d", "δ"], ["e", "ε"], ["z", "ζ"], ["h", "η"], ["i", "ι"], ["k", "κ"], ["l", "λ"],
    ["m", "μ"], ["n", "ν"], ["x", "χ"], ["o", "ο"], ["p", "π"], ["r", "ρ"], ["s", "σ"], ["t", "τ"], ["u", "υ"],
    ["y", "υ"], ["f", "φ"], ["w", "ω"], ["c", "κ"], ["j", "ξ"], ["q", "κ"]]

  function fromGreeklish(word) {
    if (language !== "el" || !/^[a-z]+$/.test(word)) return null
    let greek = ""
    for (let i = 0; i < word.length;) {
      const [latin, letter] = GREEKLISH.find(([latin]) => word.startsWith(latin, i))
      greek += letter
      i += latin.length
    }
    return greek
  }

  /* Two words typed one after the other also look for them as one phrase of the words staff type
     ("money back"): hooks/kb/rendering/searching.py indexes each such phrase also as one marked word */
  const PHRASE_BOOST = 2
  const PHRASE_MARK = "ǂ"     /* as hooks/kb/rendering/searching.py writes a phrase as one word in the index */
  let phrases = new Set()
  const search = lunr.Index.prototype.search
  lunr.Index.prototype.search = function (query) {
    const words = query.split(/\s+/).map(w => w.replace(/^[+-]|[*~^\d]+$/g, "").replace(/\*/g, ""))
      .filter(w => w && !/[:]/.test(w))
    phrases = new Set(words.slice(1).map((w, i) => PHRASE_MARK + fold(trim(words[i]) + trim(w))))
    try {
      return search.call(this, phrases.size ? `${query} ${[...phrases].join(" ")}` : query)
    } finally {
      phrases = new Set()
    }
  }

  /* Every clause lunr's query parser builds goes through the pipeline, wildcards kept; a word that
     finds nothing also looks for its near terms, and an avoided word for the approved term */
  const addClause = lunr.Query.prototype.clause
  lunr.Query.prototype.clause = function (clause) {
    if (typeof clause.term !== "string" || clause.kbExpansion)
      return addClause.call(this, clause)
    const [, before, raw, after] = /^(\**)(.*?)(\**)$/su.exec(clause.term)
    const word = queryTerm(raw)
    if (phrases.has(fold(raw)) && !before && !after) {
      clause.term = word
      clause.usePipeline = false
      clause.boost = (clause.boost || 1) * PHRASE_BOOST
      return addClause.call(this, clause)
    }
    /* A stop word is not in the index: as a prefix it would match every word it starts ("ve", vermek) */
    const stopWord = isStopWord(trim(raw))
    const boost = clause.boost || 1
    clause.term = stopWord ? word : before + word + after
    clause.usePipeline = false
    /* The word itself counts more than the longer words it starts ("клиент", клиентоориентированность) */
    const prefix = !stopWord && after.length > 0
    if (prefix) clause.boost = boost * PREFIX_BOOST
    addClause.call(this, clause)
    const extra = (term, weight, wildcard) => addClause.call(this, {
      term, boost: boost * weight, fields: clause.fields, usePipeline: false, kbExpansion: true,
      wildcard, presence: lunr.Query.presence.OPTIONAL
    })
    if (prefix && word) extra(word, 1 - PREFIX_BOOST, lunr.Query.wildcard.NONE)
    const plain = trim(raw)
    if (!plain) return this
    for (const approved of approvedFor(plain))
      extra(approved, 1, lunr.Query.wildcard.TRAILING)
    for (const [term, weight] of nearTerms(word, fold(plain)))
      extra(term, FUZZY_BOOST * weight, lunr.Query.wildcard.NONE)
    const greek = hasPrefix(word) ? null : fromGreeklish(fold(plain))
    if (greek) {
      const greekWord = queryTerm(greek)
      if (hasPrefix(greekWord)) extra(greekWord, 1, lunr.Query.wildcard.TRAILING)
      else for (const [term, weight] of nearTerms(greekWord, greek)) extra(term, FUZZY_BOOST * weight, lunr.Query.wildcard.NONE)
    }
    return this
  }

  function prepare(message) {
    if (message && message.type === SETUP) {
      const { config } = message.data
      /* The pipeline above is lunr's default one now: Material must neither load nor strip any */
      config.lang = ["en"]
      config.pipeline = ["trimmer", "stopWordFilter", "stemmer"]
      synonyms = (config.kb_synonyms || []).map(([avoided, approved]) => [
        fold(avoided),
        approved.split(/\s+/).map(trim).filter(Boolean).map(queryTerm)
      ])
    }
    return message
  }
})()
