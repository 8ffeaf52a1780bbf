/*
 * Small additions to Material's pages (no library, nothing from other hosts): the language
 * switcher keeps the place on the page, checklist boxes are named for screen readers, search also
 * runs on text that arrives without key presses, a search that finds nothing offers the home page's
 * "What do I do when…" list, and the words a search found are highlighted whatever their accents.
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

  /* The Print button (hooks/kb/rendering/printing.py) has no handler written into the page: the site's
     Content-Security-Policy (deploy/nginx.conf) runs no script that a page carries inline. */
  document.addEventListener("click", event => {
    if (event.target instanceof Element && event.target.closest(".kb-print-button button")) window.print()
  })

  /* On a phone (kb.css), what stands between a playbook's or a checklist's title and its first step or
     item (the introduction, notices, admonitions) is folded, so that step 1 and its line to say, or the
     first item, are on the first screen; a tap unfolds a block. */
  const article = document.querySelector("article.md-content__inner")
  if (article && article.querySelector(":scope > .kb-glance, :scope > .task-list")) {
    for (const block of article.children) {
      if (block.matches("h2, .task-list")) break
      if (!block.matches("p:not([class]), .admonition")) continue
      block.classList.add("kb-fold")
      block.addEventListener("click", event => {
        if (!(event.target instanceof Element && event.target.closest("a, summary")))
          block.classList.add("kb-fold--open")
      })
    }
  }

  /* Tapping a checklist item's text ticks its box, as tapping the box does (a finger-sized target). */
  document.addEventListener("click", event => {
    const item = event.target instanceof Element && event.target.closest(".task-list-item")
    if (!item || event.target.closest("a, label, input, button, summary, .task-list-item .task-list-item"))
      return
    const box = item.querySelector(":scope > .task-list-control > input[type=checkbox]")
    if (box && !box.disabled) box.click()
  })

  /* Material reads the search query on key-up; text pasted from a menu, dictated or typed on an
     on-screen or IME keyboard arrives as input only. */
  const query = document.querySelector("[data-md-component=search-query]")
  if (query)
    query.addEventListener("input", () => query.dispatchEvent(new KeyboardEvent("keyup")))

  /* Never a dead end: when a search finds nothing, the panel offers the language's "What do I do
     when…" list from its home page (the section with the id "finder"), fetched from this site once. */
  const result = document.querySelector("[data-md-component=search-result]")
  const settings = document.getElementById("__config")
  if (query && result && settings) {
    const config = JSON.parse(settings.textContent)
    const none = (config.translations || {})["search.result.none"]
    const home = new URL(String(config.base || ".").replace(/\/?$/, "/"), location.href)
    const list = result.querySelector(".md-search-result__list")
    const meta = result.querySelector(".md-search-result__meta")
    const panel = document.createElement("nav")
    panel.className = "kb-search-finder"
    panel.hidden = true
    result.after(panel)
    let finder = null

    /* The finder's heading and links, rebuilt as plain elements (nothing of the fetched page runs) */
    const loadFinder = () => finder || (finder = fetch(home, { credentials: "same-origin" })
      .then(response => (response.ok ? response.text() : ""))
      .then(text => {
        const doc = new DOMParser().parseFromString(text, "text/html")
        const heading = doc.getElementById("finder")
        let items = heading && heading.nextElementSibling
        while (items && !/^(UL|OL)$/.test(items.tagName) && !/^H[1-6]$/.test(items.tagName))
          items = items.nextElementSibling
        if (!heading || !items || !/^(UL|OL)$/.test(items.tagName)) return null
        const title = document.createElement("p")
        title.className = "kb-search-finder__title"
        title.textContent = heading.textContent.replace(/¶/g, "").trim()
        const out = document.createElement("ul")
        for (const source of items.querySelectorAll(":scope > li")) {
          const item = document.createElement("li")
          for (const node of source.childNodes) {
            if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "A") {
              const target = new URL(node.getAttribute("href") || "", home)
              if (target.origin !== location.origin) continue
              const link = document.createElement("a")
              link.href = target.href
              link.textContent = node.textContent
              item.append(link)
            } else {
              item.append(node.textContent)
            }
          }
          out.append(item)
        }
        return [title, out]
      })
      .catch(() => null))

    const update = () => {
      const empty = query.value.trim() !== "" && list.children.length === 0 &&
        meta.textContent.trim() === String(none).trim()
      if (!empty) { panel.hidden = true; return }
      loadFinder().then(parts => {
        if (!parts || list.children.length !== 0 || query.value.trim() === "") return
        if (!panel.firstChild) panel.append(...parts)
        panel.hidden = false
      })
    }
    new MutationObserver(update).observe(result, { childList: true, subtree: true, characterData: true })
    query.addEventListener("focus", loadFinder, { once: true })
  }

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
