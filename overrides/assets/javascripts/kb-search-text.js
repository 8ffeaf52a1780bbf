/*
 * How search reads a word, in every language of the site. Loaded by the search worker
 * (workers/kb-search.js), which applies it to the index and to every query alike, and by the
 * pages, which use it to highlight the words a search found.
 */
(function (scope) {
  "use strict"

  /**
   * Fold case and accents: "ΠΑΡΑΠΟΝΑ", "παράπονα" and "παραπονα" become one word; so do "ŞİKAYET",
   * "şikayet" and "sikayet", "её" and "ее", "skundą" and "skunda". The Russian "й" stays a letter of
   * its own (its breve is not an accent, and the Russian stemmer needs it); Greek final "ς" becomes
   * "σ"; the Turkish dotless "ı", which has no decomposition, becomes "i".
   */
  function fold(word) {
    return word
      .toLowerCase()
      .normalize("NFD")
      .replace(/([и])\u0306|\p{M}/gu, (mark, i) => (i ? "й" : ""))
      .replace(/ς/g, "σ")
      .replace(/ı/g, "i")
  }

  /** Strip punctuation around a word (lunr's own trimmer knows only ASCII letters). */
  function trim(word) {
    return word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")
  }

  /*
   * Lithuanian has no stemmer in lunr-languages: strip the common noun and adjective endings (in
   * folded form), longest first, keeping at least three letters, so that "skundas", "skundai",
   * "skundą" and "skundų" meet in "skund". Search adds prefix matching on top.
   */
  const LITHUANIAN_ENDINGS = [
    "iuose", "uose", "omis", "emis", "imis", "umis", "ioje", "iems", "iams", "ioms", "iais",
    "ose", "ese", "yse", "oje", "eje", "yje", "uje", "ams", "ems", "oms", "ims", "ums", "ais",
    "iai", "iui", "ius", "ios", "ies",
    "iu", "io", "ia", "ie", "as", "is", "ys", "us", "os", "es", "ai", "ui", "ei", "am", "ti",
    "a", "e", "i", "o", "u", "y",
  ]

  function stemLithuanian(word) {
    for (const ending of LITHUANIAN_ENDINGS)
      if (word.endsWith(ending) && word.length - ending.length >= 3)
        return word.slice(0, -ending.length)
    return word
  }

  /**
   * Whether a word of a page is one that search matched with `term` (a folded, stemmed query term
   * carried in the `h` parameter of a result link). Stemmers may rewrite the last letter of a stem
   * (English "recovery" gives "recoveri"), so the last letter of a long stem is not required.
   */
  function matchesTerm(word, term) {
    const stem = fold(term)
    const prefix = stem.length > 4 ? stem.slice(0, -1) : stem
    return prefix.length > 0 && fold(word).startsWith(prefix)
  }

  scope.kbSearchText = { fold, trim, stemLithuanian, matchesTerm }
})(self)
