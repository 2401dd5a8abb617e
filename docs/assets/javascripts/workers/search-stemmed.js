// Material's search worker appends "*" to every query term (search as you
// type), and lunr skips the stemmer for wildcard terms, so "elections" would
// never find "election". This worker stems each English word of a query with
// lunr's stemmer ("elections" -> "elect") and hands the query to Material's
// own worker, whose prefix search then finds every form of the word.
// hooks/search_per_language.py loads it as ...?worker=<Material's worker file>.
(() => {
  const QUERY = 2 // Material's message type for a search query
  const listen = self.addEventListener.bind(self)

  const stemQuery = query =>
    query.replace(/(^|[\s+\-"])([A-Za-z][A-Za-z']*)(?![\w:])/g, (match, before, word) =>
      before + self.lunr.stemmer(new self.lunr.Token(word.toLowerCase())).toString())

  self.addEventListener = (type, listener, options) =>
    listen(type, type !== "message" ? listener : event => {
      const message = event.data
      if (message && message.type === QUERY && typeof message.data === "string")
        return listener({ data: { type: QUERY, data: stemQuery(message.data) } })
      return listener(event)
    }, options)

  importScripts(new URLSearchParams(self.location.search).get("worker"))
})()
