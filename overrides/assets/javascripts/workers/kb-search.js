/*
 * The site's search worker: Material's own worker, unchanged, searching in the reader's language.
 *
 * Material lets a site name its own search worker (the "search" entry of its page configuration,
 * set in overrides/main.html); this one imports Material's and changes two things (the index it gets
 * holds the reader's language only: hooks/kb_search.py writes one per language, in the language's
 * folder, which is the "base" Material fetches it from):
 *
 * 1. One pipeline for the index and for the queries: trim punctuation, drop stop words, fold case
 *    and accents, stem with the language's lunr stemmer (English, Greek, Russian, Turkish) or the
 *    light Lithuanian one of kb-search-text.js. Folding comes first because the Greek stemmer only
 *    understands unaccented letters, and because then every spelling of a word stems alike.
 * 2. Material appends a wildcard to every query term for search-as-you-type, and lunr runs no
 *    pipeline on wildcard terms; each query term is therefore passed through the same pipeline
 *    when lunr's query parser adds it, keeping the wildcard (prefix matching on the stem).
 *
 * URL parameters (from overrides/main.html): lang, the reader's language; material, the file name of
 * Material's worker in this folder.
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

  /* The language's stemmer and stop words (lunr's own for English) */
  const STEMMED = ["el", "ru", "tr"]
  if (STEMMED.includes(language))
    importScripts(
      "../lunr/min/lunr.stemmer.support.min.js",
      `../lunr/min/lunr.${language}.min.js`
    )
  const english = { stemmer: lunr.stemmer, stopWordFilter: lunr.stopWordFilter }
  const rules = STEMMED.includes(language) ? lunr[language] : language === "en" ? english : null

  function stem(word) {
    if (rules) return rules.stemmer(new lunr.Token(word, {})).toString()
    if (language === "lt") return stemLithuanian(word)
    return word
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

  /* Every clause lunr's query parser builds goes through the pipeline, wildcards kept */
  const addClause = lunr.Query.prototype.clause
  lunr.Query.prototype.clause = function (clause) {
    if (typeof clause.term === "string") {
      const [, before, word, after] = /^(\**)(.*?)(\**)$/su.exec(clause.term)
      clause.term = before + queryTerm(word) + after
      clause.usePipeline = false
    }
    return addClause.call(this, clause)
  }

  function prepare(message) {
    if (message && message.type === SETUP) {
      const { config } = message.data
      /* The pipeline above is lunr's default one now: Material must neither load nor strip any */
      config.lang = ["en"]
      config.pipeline = ["trimmer", "stopWordFilter", "stemmer"]
    }
    return message
  }
})()
