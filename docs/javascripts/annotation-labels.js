// Material draws code annotation markers as links with no text, which screen
// readers announce as "link" and Lighthouse reports as links without a name.
// Name each marker after its number once Material has mounted the page.
document$.subscribe(() => {
  requestAnimationFrame(() => {
    const label = document.documentElement.lang.startsWith("zh") ? "注释" : "Annotation"
    for (const marker of document.querySelectorAll(".md-annotation__index:not([aria-label])")) {
      marker.setAttribute("aria-label", `${label} ${marker.textContent.trim()}`.trim())
    }
  })
})
