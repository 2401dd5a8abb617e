"""Give each language its own search index, with its own lunr pipeline.

mkdocs-static-i18n merges the pages of every language into one index at
``/search/search_index.json`` with one pipeline, so a Chinese reader gets
English results and English loses stemming ("elections" would not find
"election"). After the whole build this hook splits that index in two:
``/search/search_index.json`` for Chinese and ``/en/search/search_index.json``
for English, each with the lunr languages and pipeline in ``SEARCH_CONFIG``. English
pages point Material's search at their index by rebasing ``__config.base``,
which Material uses only to locate the index and resolve result links.

Every page also runs search through ``assets/javascripts/workers/search-stemmed.js``,
which stems English query words before Material's worker sees them: Material
turns each query term into a prefix query, and lunr never stems those.
"""

import json
import re
from pathlib import Path

from mkdocs.plugins import event_priority

# lunr languages, and the pipeline functions Material keeps, per site language.
# Chinese pages also carry English terms (etcd, Raft, kubelet), hence "en" there
# too. The index itself is not stemmed: queries are (see search-stemmed.js).
SEARCH_CONFIG = {
    "zh": {"lang": ["zh", "en"], "pipeline": ["stopWordFilter"]},
    "en": {"lang": ["en"], "pipeline": ["stopWordFilter"]},
}
STEMMING_WORKER = "search-stemmed.js"

CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def _i18n(config):
    return config.plugins["i18n"]


def on_post_page(output, page, config):
    i18n = _i18n(config)
    language = i18n.current_language

    def configure_search(match):
        app = json.loads(match.group(2))
        if language != i18n.default_language:
            app["base"] = f"{app['base'].rstrip('/')}/{language}/"
        workers_dir, material_worker = app["search"].rsplit("/", 1)
        app["search"] = f"{workers_dir}/{STEMMING_WORKER}?worker={material_worker}"
        return match.group(1) + json.dumps(app, ensure_ascii=False) + match.group(3)

    return CONFIG_SCRIPT.sub(configure_search, output, count=1)


@event_priority(-200)  # after mkdocs-static-i18n has merged every language into one index
def on_post_build(config):
    i18n = _i18n(config)
    if i18n.building:  # a nested per-language build; the merged index comes later
        return
    site = Path(config.site_dir)
    merged = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    others = [lang for lang in i18n.all_languages if lang != i18n.default_language]
    for language in i18n.all_languages:
        if language == i18n.default_language:
            docs = [d for d in merged["docs"] if not d["location"].startswith(tuple(f"{o}/" for o in others))]
            target = site / "search" / "search_index.json"
        else:
            prefix = f"{language}/"
            docs = [{**d, "location": d["location"][len(prefix):]}
                    for d in merged["docs"] if d["location"].startswith(prefix)]
            target = site / language / "search" / "search_index.json"
        index = {**merged, "config": {**merged["config"], **SEARCH_CONFIG[language]}, "docs": _unique(docs)}
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _unique(docs: list[dict]) -> list[dict]:
    """Merge entries that share a location.

    Material's search worker keys its highlighting tables by location, and a
    repeated location (sections whose headings got no id, as in notebooks with
    Chinese headings) makes every query that matches it fail in the browser.
    """
    merged: dict[str, dict] = {}
    for doc in docs:
        if doc["location"] in merged:
            first = merged[doc["location"]]
            first["text"] = " ".join(t for t in (first["text"], doc.get("title", ""), doc["text"]) if t)
        else:
            merged[doc["location"]] = dict(doc)
    return list(merged.values())
