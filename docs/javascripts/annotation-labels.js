// Material draws code annotation markers as links with no text, which screen
// readers announce as "link" and Lighthouse reports as links without a name.
// Markers are created when their code block scrolls into view (content.lazy),
// so each one is named as it is added, before the browser lays it out.
(() => {
  const label = document.documentElement.lang.startsWith("zh") ? "注释" : "Annotation"
  const name = marker => {
    const number = marker.querySelector("[data-md-annotation-id]")?.dataset.mdAnnotationId ?? ""
    marker.setAttribute("aria-label", `${label} ${number}`.trim())
  }
  new MutationObserver(records => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue
        if (node.matches(".md-annotation__index")) name(node)
        node.querySelectorAll(".md-annotation__index").forEach(name)
      }
    }
  }).observe(document.querySelector(".md-content"), { childList: true, subtree: true })  // not the search results
})()
