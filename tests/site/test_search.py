"""Search in a real browser: each language finds its own pages, with Chinese word
segmentation and English inflections ("elections" finds "election")."""

from urllib.parse import urlsplit

import pytest

# (query, expected page, expected section): the page must be among the first three
# pages listed, and the section among that page's results.
ZH_QUERIES = [
    ("领导者选举", "etcd/raft/", "leader-election"),
    ("服务发现", "etcd/use-cases/", "service-discovery"),
    ("预写日志", "etcd/wal/", "wal"),
    ("租约", "etcd/use-cases/", "lease"),
    ("修订版本计数器", "etcd/mvcc/", "revisions"),
    ("压缩", "etcd/mvcc/", "compaction"),
    ("控制平面组件", "components/", "control-plane"),
    ("kube-scheduler", "components/", "kube-scheduler"),
    ("终结器", "object-design/", "finalizers"),
    ("属主引用", "object-design/", "owner-references"),
    ("滚动更新", "core-objects/workloads/", "rolling-update"),
    ("水平触发", "architecture-principles/", "level-triggered"),
    ("声明式", "architecture-principles/", "declarative-api"),
    ("准入控制", "architecture-principles/request-path/", "admission"),
    ("公平性", "architecture-principles/request-path/", "api-priority-and-fairness"),
    ("收养", "architecture-principles/controllers/", "controller-ref"),
    ("书签", "architecture-principles/reads-and-watches/", "watch-and-bookmarks"),
    ("流式列举", "architecture-principles/reads-and-watches/", "streaming-lists"),
    ("动态资源分配", "architecture-principles/extension-points/", "dra"),
    ("快照", "etcd/wal/", "snapshot"),
    ("多数派", "etcd/raft/", "quorum-lab"),
    ("读索引", "etcd/partitions/", "stale-reads"),
    ("学习者", "etcd/operations/", "membership"),
    ("发布", "etcd/use-cases/", "pub-sub"),
    ("角色", "etcd/auth/", "users-and-roles"),
    ("探针", "core-objects/pods/", "probes"),
    ("乐观并发", "object-design/", "resource-version"),
    ("事务", "etcd/mvcc/", "transactions"),
    ("扩展密钥用途", "etcd/tls/", "certificates"),
    ("污点", "core-objects/scheduling/", "taints-and-tolerations"),
    ("拓扑分布约束", "core-objects/scheduling/", "topology-spread"),
    ("安全上下文", "core-objects/security/", "security-context"),
    ("安全标准", "core-objects/security/", "pod-security"),
    ("资源配额", "core-objects/capacity/", "resourcequota"),
    ("双栈", "core-objects/networking/", "dual-stack"),
    ("会话亲和性", "core-objects/networking/", "traffic-policies"),
    ("重启退避", "core-objects/pods/", "container-states"),
    ("原地调整", "core-objects/pods/", "in-place-resize"),
    ("带索引的 Job", "core-objects/workloads/", "indexed-jobs"),
    ("校验棘轮", "object-design/fields-and-validation/", "ratcheting"),
    ("鉴别字段", "object-design/fields-and-validation/", "unions"),
    ("存储版本迁移", "object-design/api-evolution/", "storage-version-migration"),
    ("弃用政策", "object-design/api-evolution/", "deprecation-policy"),
    ("服务端应用", "object-design/writes-and-status/", "server-side-apply"),
    ("策略性合并补丁", "object-design/writes-and-status/", "patch-types"),
    ("检查点", "etcd/leases-and-locks/", "checkpointing"),
]
EN_QUERIES = [
    ("elections", "etcd/raft/", "leader-election"),
    ("replicated", "etcd/raft/", "log-replication"),
    ("leases", "etcd/leases-and-locks/", "lease-internals"),
    ("write-ahead", "etcd/wal/", "wal"),
    ("revisions", "etcd/mvcc/", "revisions"),
    ("compaction", "etcd/mvcc/", "compaction"),
    ("kube-scheduler", "components/", "kube-scheduler"),
    ("finalizers", "object-design/", "finalizers"),
    ("owner references", "object-design/", "owner-references"),
    ("rolling updates", "core-objects/workloads/", "rolling-update"),
    ("level-triggered", "architecture-principles/", "level-triggered"),
    ("declarative", "architecture-principles/", "declarative-api"),
    ("admission", "architecture-principles/request-path/", "admission"),
    ("fairness", "architecture-principles/request-path/", "api-priority-and-fairness"),
    ("adoption", "architecture-principles/controllers/", "controller-ref"),
    ("expectations", "architecture-principles/controllers/", "expectations"),
    ("bookmarks", "architecture-principles/reads-and-watches/", "watch-and-bookmarks"),
    ("Konnectivity", "architecture-principles/extension-points/", "control-plane-node-security"),
    ("snapshots", "etcd/wal/", "snapshot"),
    ("quorum", "etcd/raft/", "quorum-lab"),
    ("stale", "etcd/partitions/", "stale-reads"),
    ("learners", "etcd/operations/", "membership"),
    ("publish", "etcd/use-cases/", "pub-sub"),
    ("roles", "etcd/auth/", "users-and-roles"),
    ("probes", "core-objects/pods/", "probes"),
    ("transactions", "etcd/mvcc/", "transactions"),
    ("openssl", "etcd/tls/", "lab"),
    ("watchers", "etcd/watch/", "watch-basics"),
    ("controllers", "architecture-principles/", "controllers-and-reconciliation"),
    ("taints", "core-objects/scheduling/", "taints-and-tolerations"),
    ("preemption", "core-objects/scheduling/", "priorityclass"),
    ("ResourceClaim", "core-objects/scheduling/", "dra"),
    ("RBAC", "core-objects/security/", "rbac"),
    ("network policies", "core-objects/security/", "networkpolicy"),
    ("quotas", "core-objects/capacity/", "resourcequota"),
    ("disruption budgets", "core-objects/capacity/", "poddisruptionbudget"),
    ("dual-stack", "core-objects/networking/", "dual-stack"),
    ("HTTPRoute", "core-objects/networking/", "gateway-api"),
    ("termination", "core-objects/pods/", "termination"),
    ("indexed jobs", "core-objects/workloads/", "indexed-jobs"),
    ("ratcheting", "object-design/fields-and-validation/", "ratcheting"),
    ("discriminators", "object-design/fields-and-validation/", "unions"),
    ("storage version migration", "object-design/api-evolution/", "storage-version-migration"),
    ("deprecation policy", "object-design/api-evolution/", "deprecation-policy"),
    ("server-side apply", "object-design/writes-and-status/", "server-side-apply"),
    ("strategic merge patch", "object-design/writes-and-status/", "patch-types"),
    ("checkpointing", "etcd/leases-and-locks/", "checkpointing"),
]
CASES = [("zh", *q) for q in ZH_QUERIES] + [("en", *q) for q in EN_QUERIES]


@pytest.fixture(scope="module")
def search_tabs(browser, site_url):
    """One tab per language, on its home page; searching does not navigate.

    Each tab has a context of its own: of two tabs in one context, Chromium answers
    the one not in front slowly (2-5 s per query instead of 0.2-0.4 s)."""
    contexts = {lang: browser.new_context(viewport={"width": 1280, "height": 900}) for lang in ("zh", "en")}
    tabs = {}
    for lang, prefix in (("zh", ""), ("en", "en/")):
        tab = contexts[lang].new_page()
        tab.goto(site_url + prefix, wait_until="networkidle")
        tabs[lang] = tab
    yield tabs
    for context in contexts.values():
        context.close()


def search(tab, query: str) -> list[str]:
    """The result links for ``query``, once Material has rendered them.

    Material searches on each keyup and renders whichever answer comes back, so
    typing letter by letter leaves earlier, partial queries in flight. Instead the
    box is first emptied (which clears the results), then the query is committed
    at once and followed by a key press, as an input method commits CJK text: one
    search, so the first results to appear are the query's own."""
    box = "input.md-search__input"
    tab.click(box)
    tab.fill(box, "")
    tab.keyboard.press("End")
    tab.wait_for_function("() => !document.querySelector('.md-search-result__link')")
    tab.fill(box, query)
    tab.keyboard.press("End")
    tab.wait_for_function(
        """() => {
          const none = JSON.parse(document.getElementById("__config").textContent).translations["search.result.none"]
          return document.querySelector(".md-search-result__link") ||
                 document.querySelector(".md-search-result__meta")?.textContent.trim() === none
        }"""
    )
    return tab.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.href)")


@pytest.mark.parametrize("lang, query, page, section", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_query_finds_its_page_in_the_readers_language(search_tabs, site_url, lang, query, page, section):
    hrefs = search(search_tabs[lang], query)
    prefix = site_url + ("en/" if lang == "en" else "")
    assert hrefs, f"{lang} search for {query!r} found nothing"
    other_language = [h for h in hrefs if (lang == "zh") == h.startswith(site_url + "en/")]
    assert not other_language, f"{lang} search for {query!r} returned pages of the other language: {other_language}"
    pages = list(dict.fromkeys(urlsplit(h)._replace(query="", fragment="").geturl() for h in hrefs))
    assert prefix + page in pages[:3], f"{lang} {query!r}: expected {page} in the top 3, got {pages[:5]}"
    sections = {urlsplit(h).fragment for h in hrefs if urlsplit(h).path == urlsplit(prefix + page).path}
    assert section in sections, f"{lang} {query!r}: expected #{section} among {sorted(sections)}"
