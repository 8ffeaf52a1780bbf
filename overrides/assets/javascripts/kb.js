/*
 * Small additions to Material's pages (no library, nothing from other hosts): the language
 * switcher keeps the place on the page, checklist boxes are named for screen readers, search also
 * runs on text that arrives without key presses, and the words a search found are highlighted
 * whatever their accents.
 */
(function () {
  "use strict"

  /* The language switcher links to the same page in the other language; keep the anchor too
     (steps, FAQ questions and checklist groups have the same id in every language). Material's
     own handler for language links would open the linked page without it, so it is not asked. */
  document.addEventListener("click", event => {
    const link = event.target instanceof Element && event.target.closest(".md-select__link[hreflang]")
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return
    const target = new URL(link.href)
    if (!target.hash) target.hash = location.hash
    event.preventDefault()
    event.stopPropagation()
    location.assign(target)
  }, true)

  /* A checklist box is named by its item: pymdownx.tasklist puts only the box inside its label. */
  for (const box of document.querySelectorAll(".task-list-control > input[type=checkbox]")) {
    const item = box.closest(".task-list-item").cloneNode(true)
    item.querySelectorAll("ul, ol, .task-list-control").forEach(nested => nested.remove())
    const name = item.textContent.replace(/\s+/g, " ").trim()
    if (name && !box.hasAttribute("aria-label")) box.setAttribute("aria-label", name)
  }

  /* Material reads the search query on key-up; text pasted from a menu, dictated or typed on an
     on-screen or IME keyboard arrives as input only. */
  const query = document.querySelector("[data-md-component=search-query]")
  if (query)
    query.addEventListener("input", () => query.dispatchEvent(new KeyboardEvent("keyup")))

  /* Material highlights the terms of the search result link (?h=…) by exact spelling; our search
     terms are folded and stemmed, so find the words they stand for with the same folding. */
  const terms = (new URL(location.href).searchParams.get("h") || "").split(/\s+/).filter(Boolean)
  const content = document.querySelector("[data-md-component=content] .md-typeset")
  if (!terms.length || !content || !self.kbSearchText) return

  const { matchesTerm } = self.kbSearchText
  const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT, {
    acceptNode: node => node.parentElement.closest("mark, script, style, .headerlink, svg")
      ? NodeFilter.FILTER_REJECT
      : NodeFilter.FILTER_ACCEPT
  })
  const nodes = []
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node)
  for (const node of nodes) {
    const text = node.textContent
    const parts = []
    let last = 0
    for (const match of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
      if (!terms.some(term => matchesTerm(match[0], term))) continue
      parts.push(text.slice(last, match.index))
      const mark = document.createElement("mark")
      mark.setAttribute("data-md-highlight", "")
      mark.textContent = match[0]
      parts.push(mark)
      last = match.index + match[0].length
    }
    if (parts.length) node.replaceWith(...parts, text.slice(last))
  }
})()
