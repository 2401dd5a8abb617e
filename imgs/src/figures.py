#!/usr/bin/env python3
"""Generate the site's figures with Graphviz.

Each figure is described once, as a function that receives a ``Fig`` builder.
Every label is a ``{"zh": ..., "en": ...}`` dict (or a plain string when it is
the same in both languages).  Running the script writes one SVG per figure and
language, ``imgs/<name>.<lang>.svg``:

    python imgs/src/figures.py            # all figures
    python imgs/src/figures.py kubelet    # only the named ones

Requires Graphviz (``dot``) on PATH.  Output is deterministic: the same input
gives byte-identical SVG files.
"""

import hashlib
import html
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent.parent
LANGS = ("zh", "en")

# --------------------------------------------------------------------------
# Shared style
# --------------------------------------------------------------------------
# Graphviz measures text with these fonts.  Liberation Sans/Mono have the same
# metrics as Arial/Helvetica and Courier New, so text measured here fits the
# boxes in browsers too; CJK characters fall back to a CJK font (all CJK fonts
# use full-width glyphs, so their widths agree).
MEASURE_SANS = "Liberation Sans"
MEASURE_MONO = "Liberation Mono"
# What the SVG asks the browser for (no web fonts).
SANS_STACK = ("Helvetica, Arial, 'Liberation Sans', 'PingFang SC', "
              "'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', "
              "'Source Han Sans SC', sans-serif")
MONO_STACK = ("Menlo, Consolas, 'Liberation Mono', 'Courier New', "
              "'Noto Sans Mono CJK SC', monospace")

BG = "#ffffff"
INK = "#1e293b"    # default text
MUTED = "#475569"  # secondary text and edge labels
RED = "#dc2626"    # failures

# kind -> (fill, border, text) for nodes
NODE = {
    "cp":    ("#dbeafe", "#2563eb", "#1e3a8a"),  # control plane: blue
    "node":  ("#dcfce7", "#16a34a", "#14532d"),  # worker node / data plane: green
    "pod":   ("#ffffff", "#16a34a", "#14532d"),
    "etcd":  ("#ccfbf1", "#0d9488", "#134e4a"),  # etcd: teal
    "disk":  ("#ffedd5", "#ea580c", "#7c2d12"),  # files on disk: orange
    "addon": ("#f1f5f9", "#64748b", "#334155"),  # add-ons / external: grey
    "actor": ("#ede9fe", "#7c3aed", "#4c1d95"),  # users, clients, applications
    "dead":  ("#f8fafc", "#94a3b8", "#94a3b8"),  # failed / removed
    "note":  ("#fffbeb", "#d97706", "#78350f"),  # side notes
}
# kind -> (fill, border) for clusters
CLUSTER = {
    "cp":    ("#eff6ff", "#93c5fd"),
    "node":  ("#f0fdf4", "#86efac"),
    "pod":   ("#ffffff", "#4ade80"),
    "etcd":  ("#f0fdfa", "#5eead4"),
    "addon": ("#f8fafc", "#cbd5e1"),
    "actor": ("#f5f3ff", "#c4b5fd"),
    "plain": ("#ffffff", "#cbd5e1"),
}
# kind -> edge attributes
EDGE = {
    "req":   {"color": "#334155", "style": "solid"},        # request / call
    "watch": {"color": "#2563eb", "style": "dashed"},       # list / watch stream
    "data":  {"color": "#0d9488", "style": "solid", "penwidth": "1.8"},
    "disk":  {"color": "#ea580c", "style": "solid"},
    "probe": {"color": "#7c3aed", "style": "dashed"},
    "fail":  {"color": RED, "style": "dashed"},
}


def T(zh, en):
    """A label in both languages."""
    return {"zh": zh, "en": en}


def esc(text):
    return html.escape(text, quote=False)


def lines(text, size=None, color=None, face=None, bold=False):
    """Escape text for an HTML-like label; "\\n" starts a new line."""
    body = "<BR/>".join(esc(part) for part in text.split("\n"))
    if bold:
        body = f"<B>{body}</B>"
    attrs = ""
    if size:
        attrs += f' POINT-SIZE="{size}"'
    if color:
        attrs += f' COLOR="{color}"'
    if face:
        attrs += f' FACE="{face}"'
    return f"<FONT{attrs}>{body}</FONT>" if attrs else body


def quote(value):
    value = str(value)
    if value.startswith("<") and value.endswith(">"):
        return value  # HTML-like label
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def attr_list(attrs):
    return ", ".join(f"{k}={quote(v)}" for k, v in attrs.items() if v is not None)


class Fig:
    """Collects DOT statements for one figure in one language."""

    def __init__(self, lang, rankdir="LR", **graph_attrs):
        self.lang = lang
        self.rankdir = rankdir
        self.out = []
        self.indent = 1
        graph = {
            "rankdir": rankdir, "bgcolor": BG, "pad": "0.2", "nodesep": "0.25",
            "ranksep": "0.55", "fontname": MEASURE_SANS, "fontsize": "13",
            "fontcolor": INK, "newrank": "true", "compound": "true",
            "splines": "spline", "outputorder": "edgesfirst",
        }
        graph.update(graph_attrs)
        node = {"fontname": MEASURE_SANS, "fontsize": "13", "fontcolor": INK,
                "penwidth": "1.3", "margin": "0.16,0.08"}
        edge = {"fontname": MEASURE_SANS, "fontsize": "11", "fontcolor": MUTED,
                "arrowsize": "0.7", "penwidth": "1.3"}
        self.stmt(f"graph [{attr_list(graph)}]")
        self.stmt(f"node [{attr_list(node)}]")
        self.stmt(f"edge [{attr_list(edge)}]")

    def t(self, text):
        """Pick this figure's language from a {zh, en} dict."""
        return text[self.lang] if isinstance(text, dict) else text

    def stmt(self, text):
        self.out.append("  " * self.indent + text)

    # -- nodes --------------------------------------------------------------
    def node(self, nid, kind, title, sub=None, mono=None, dashed=False, **attrs):
        """A rounded box: bold title, optional grey description, optional code line."""
        fill, line, text = NODE[kind]
        parts = [lines(self.t(title), bold=True, color=text)]
        if sub:
            parts.append(lines(self.t(sub), size=11, color=MUTED))
        if mono:
            parts.append(lines(self.t(mono), size=11, color=text, face=MEASURE_MONO))
        rows = "".join(f"<TR><TD>{p}</TD></TR>" for p in parts)
        label = f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="0">{rows}</TABLE>>'
        base = {
            "shape": "box", "style": "rounded,filled" + (",dashed" if dashed else ""),
            "fillcolor": fill, "color": line, "label": label,
        }
        base.update(attrs)
        self.stmt(f"{nid} [{attr_list(base)}]")

    def table(self, nid, kind, caption, header, rows, **attrs):
        """A table node.  rows: (port, [cells], style) with style None, "hl"
        (highlighted) or "dead" (struck through).  A cell starting with "`" is
        monospace; "~~x~~" inside a cell strikes x through.  Each row gets the
        ports <port> (first cell) and <port>_r (last cell)."""
        fill, line, text = NODE[kind]
        sep = f'BORDER="1" SIDES="B" COLOR="{line}"'
        out = [f'<TABLE BORDER="1" COLOR="{line}" CELLBORDER="0" CELLSPACING="0" '
               f'CELLPADDING="5" BGCOLOR="#ffffff" STYLE="ROUNDED">']
        if caption:
            out.append(f'<TR><TD COLSPAN="{len(header)}" BGCOLOR="{fill}" {sep}>'
                       f'{lines(self.t(caption), bold=True, color=text)}</TD></TR>')
        out.append("<TR>" + "".join(
            f'<TD ALIGN="LEFT" {sep}>{lines(self.t(h), size=11, color=MUTED, bold=True)}</TD>'
            for h in header) + "</TR>")
        for port, cells, style in rows:
            color = {"dead": NODE["dead"][2], "hl": text}.get(style, INK)
            tds = []
            for i, cell in enumerate(cells):
                cell = self.t(cell)
                note = cell.startswith("!")  # an annotation: red, never struck through
                mono = cell.lstrip("!").startswith("`")
                pieces = cell.lstrip("!`").split("~~")
                body = "".join(
                    (f"<S>{lines(piece)}</S>" if k % 2 else lines(piece)) if piece else ""
                    for k, piece in enumerate(pieces))
                if style == "dead" and not note:
                    body = f"<S>{body}</S>"
                face = f' FACE="{MEASURE_MONO}"' if mono else ""
                body = (f'<FONT POINT-SIZE="{11 if mono or note else 12}" '
                        f'COLOR="{RED if note else color}"{face}>{body}</FONT>')
                if style == "hl":
                    body = f"<B>{body}</B>"
                tags = ' ALIGN="LEFT"'
                if port and i == 0:
                    tags += f' PORT="{port}"'
                elif port and i == len(cells) - 1:
                    tags += f' PORT="{port}_r"'
                if style == "hl":
                    tags += f' BGCOLOR="{fill}"'
                tds.append(f"<TD{tags}>{body}</TD>")
            out.append("<TR>" + "".join(tds) + "</TR>")
        out.append("</TABLE>")
        base = {"shape": "plain", "label": "<" + "".join(out) + ">"}
        base.update(attrs)
        self.stmt(f"{nid} [{attr_list(base)}]")

    def pods(self, nid, count=3, label="Pod"):
        """A strip of small Pod boxes, as one node."""
        fill, line, text = NODE["pod"]
        cells = "".join(f'<TD BORDER="1" COLOR="{line}" STYLE="ROUNDED" CELLPADDING="4">'
                        f'{lines(label, size=11, color=text, bold=True)}</TD>' for _ in range(count))
        self.stmt(f'{nid} [shape=plain, label=<<TABLE BORDER="0" CELLSPACING="6" CELLPADDING="0">'
                  f'<TR>{cells}</TR></TABLE>>]')

    # -- edges --------------------------------------------------------------
    def edge(self, a, b, kind="req", label=None, back=False, **attrs):
        base = dict(EDGE[kind])
        if label:
            # a white box behind the text keeps it readable where it crosses lines
            base["label"] = ('<<TABLE BORDER="0" CELLBORDER="0" CELLPADDING="1" BGCOLOR="%s">'
                             '<TR><TD>%s</TD></TR></TABLE>>' % (BG, lines(self.t(label))))
        if back:
            base["dir"] = "back"  # drawn b -> a, laid out a -> b
        base.update(attrs)
        self.stmt(f"{a} -> {b} [{attr_list(base)}]")

    def chain(self, *nids):
        """Invisible edges that keep nodes of one rank in this order."""
        self.stmt(" -> ".join(nids) + " [style=invis]")

    def same_rank(self, *nids):
        self.stmt("{rank=same; " + "; ".join(nids) + "}")

    # -- clusters -----------------------------------------------------------
    @contextmanager
    def cluster(self, cid, kind, title, dashed=False):
        fill, line = CLUSTER[kind]
        self.stmt(f"subgraph cluster_{cid} {{")
        self.indent += 1
        color = NODE.get(kind, NODE["addon"])[2]
        attrs = {"label": "<" + lines(self.t(title), bold=True, color=color) + ">",
                 "labeljust": "l", "style": "rounded,filled" + (",dashed" if dashed else ""),
                 "fillcolor": fill, "color": line, "penwidth": "1.3", "margin": "10"}
        self.stmt(f"graph [{attr_list(attrs)}]")
        yield
        self.indent -= 1
        self.stmt("}")

    def legend(self, items, nid="legend", **attrs):
        """One node with a sample line and a label per edge kind: (kind, label) pairs."""
        cells = [f"<TD>{lines(self.t(T('图例', 'Legend')), size=11, color=MUTED, bold=True)}</TD>"]
        for kind, label in items:
            e = EDGE[kind]
            style = ' STYLE="dashed"' if e["style"] == "dashed" else ""
            sample = (f'<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0"><TR><TD WIDTH="34" HEIGHT="6" '
                      f'BORDER="{2 if e.get("penwidth") else 1}" SIDES="B" COLOR="{e["color"]}"{style}></TD></TR>'
                      f'<TR><TD HEIGHT="6"></TD></TR></TABLE>')
            cells.append(f"<TD>{sample}</TD><TD>{lines(self.t(label), size=11, color=MUTED)}</TD>")
        base = {"shape": "plain", "label": f'<<TABLE BORDER="1" COLOR="{CLUSTER["plain"][1]}" STYLE="ROUNDED" '
                f'CELLBORDER="0" CELLSPACING="4" CELLPADDING="2"><TR>{"".join(cells)}</TR></TABLE>>'}
        base.update(attrs)
        self.stmt(f"{nid} [{attr_list(base)}]")

    def source(self, name):
        return f"digraph {name.replace('-', '_')} {{\n" + "\n".join(self.out) + "\n}\n"


# --------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------
def kubelet(g):
    """The kubelet on one worker node."""
    with g.cluster("cp", "cp", T("控制平面", "Control plane")):
        g.node("api", "cp", "kube-apiserver", T("集群状态的唯一入口", "Front door to cluster state"))
    with g.cluster("worker", "node", T("工作节点 node-1", "Worker node node-1")):
        g.node("kubelet", "node", "kubelet", T("节点代理", "Node agent"))
        g.node("cri", "node", T("容器运行时", "Container runtime"), "containerd / CRI-O")
        with g.cluster("pod1", "pod", "Pod web-7d4f9"):
            g.node("c1", "pod", T("容器 app", "Container app"))
            g.node("c2", "pod", T("容器 sidecar", "Container sidecar"))
            g.same_rank("c1", "c2")
        with g.cluster("pod2", "pod", "Pod api-5c9b8"):
            g.node("c3", "pod", T("容器 app", "Container app"))
    g.node("registry", "addon", T("镜像仓库", "Image registry"), "registry.k8s.io, Docker Hub …")

    g.edge("api", "kubelet", "watch",
           T("① watch 调度到本节点的 Pod\n（spec.nodeName = node-1）",
             "① Watch Pods bound to this node\n(spec.nodeName = node-1)"))
    g.edge("kubelet", "api", "req",
           T("⑥ 上报 Pod 状态、Node 状态\n与心跳（Lease）",
             "⑥ Report Pod status, Node status\nand heartbeats (Lease)"))
    g.edge("kubelet", "cri", "req",
           T("② CRI（gRPC）：创建 Pod 沙箱，\n创建并启动容器",
             "② CRI (gRPC): create the Pod sandbox,\ncreate and start containers"))
    g.edge("cri", "registry", "req", T("③ 拉取镜像", "③ Pull images"))
    g.edge("cri", "c1", "data", T("④ 运行容器", "④ Run containers"), lhead="cluster_pod1")
    g.edge("cri", "c3", "data", lhead="cluster_pod2")
    g.edge("kubelet", "c1", "probe",
           T("⑤ 探针：liveness /\nreadiness / startup", "⑤ Probes: liveness /\nreadiness / startup"),
           lhead="cluster_pod1")


def kubernetes(g):
    """Overall architecture: control plane, worker nodes, who talks to whom."""
    g.node("user", "actor", T("用户 / kubectl", "Users / kubectl"), T("REST API（HTTPS）", "REST API (HTTPS)"))
    with g.cluster("cp", "cp", T("控制平面", "Control plane")):
        g.node("sched", "cp", "kube-scheduler")
        g.node("cm", "cp", "kube-controller-manager")
        g.node("ccm", "cp", "cloud-controller-manager", T("可选，对接云厂商 API", "optional; talks to\nthe cloud provider API"),
               dashed=True)
        g.node("api", "cp", "kube-apiserver", T("所有组件只与它通信", "every component talks only to it"))
        g.node("etcd", "etcd", "etcd", T("只有 API 服务器访问", "only the API server uses it"))
    g.same_rank("user", "sched", "cm", "ccm")
    g.chain("user", "sched", "cm", "ccm")  # left-to-right order in the row
    g.same_rank("api", "etcd")

    for i in (1, 2):
        with g.cluster(f"n{i}", "node", T(f"工作节点 node-{i}", f"Worker node node-{i}")):
            g.node(f"kubelet{i}", "node", "kubelet")
            g.node(f"proxy{i}", "node", "kube-proxy")
            g.node(f"cri{i}", "node", T("容器运行时", "Container runtime"))
            g.pods(f"pods{i}", 3)
            g.same_rank(f"kubelet{i}", f"proxy{i}")
            g.chain(f"kubelet{i}", f"proxy{i}")
        g.edge(f"kubelet{i}", f"cri{i}", "req")
        g.edge(f"cri{i}", f"pods{i}", "req")
        g.edge(f"proxy{i}", f"cri{i}", style="invis")
    with g.cluster("more", "node", T("更多节点", "More nodes"), dashed=True):
        g.node("more", "node", "…", T("结构相同", "same layout"), dashed=True)

    g.edge("user", "api", "req")
    for c in ("sched", "cm", "ccm"):
        g.edge(c, "api", "watch", dir="both")
    g.edge("api", "etcd", "data", dir="both", minlen="2")
    g.edge("api", "more", "watch", dir="both")
    for i in (1, 2):
        g.edge("api", f"kubelet{i}", "watch", dir="both")
        g.edge("api", f"proxy{i}", "watch", dir="both")
    g.legend([("watch", T("list / watch 与写回", "list / watch and updates")),
              ("req", T("请求 / 调用", "request / call")),
              ("data", T("存储读写", "storage reads / writes"))])
    g.edge("pods2", "legend", style="invis")


def kubernetes_detail(g):
    """What each component does, and the list/watch connections."""
    with g.cluster("cp", "cp", T("控制平面组件", "Control plane components")):
        g.node("sched", "cp", "kube-scheduler",
               T("为新建且未调度的 Pod\n选择运行节点", "Assigns each new, unscheduled\nPod to a node"))
        g.node("cm", "cp", "kube-controller-manager",
               T("运行内置控制器（Node、Job、\nEndpointSlice …），把实际\n状态调和为期望状态",
                 "Runs built-in controllers\n(Node, Job, EndpointSlice …)\nthat reconcile actual state\ntoward desired state"))
        g.node("ccm", "cp", "cloud-controller-manager",
               T("可选；对接云厂商 API：\n节点、路由、负载均衡器", "Optional; links to a cloud API:\nnodes, routes, load balancers"),
               dashed=True)
        g.node("api", "cp", "kube-apiserver",
               T("集群唯一入口：REST API；\n认证、鉴权、准入控制；\n只有它直接读写 etcd",
                 "Serves the REST API;\nauthentication, authorization,\nadmission; sole client of etcd"))
        g.node("etcd", "etcd", "etcd",
               T("一致、高可用的键值存储，\n保存全部集群数据", "Consistent, highly available\nkey-value store holding\nall cluster data"))
    with g.cluster("node", "node", T("节点组件（每个工作节点上）", "Node components (on every worker node)")):
        g.node("kubelet", "node", "kubelet",
               T("让分配到本节点的 Pod\n按规约运行；执行探针，\n上报 Pod 与节点状态",
                 "Runs the Pods bound to\nits node; runs probes;\nreports Pod / node status"))
        g.node("proxy", "node", "kube-proxy",
               T("依据 Service 维护\n节点网络规则\n（iptables / nftables）", "Programs node network\nrules for Services\n(iptables / nftables)"))
        g.node("cri", "node", T("容器运行时", "Container runtime"),
               T("containerd / CRI-O：\n经 CRI 拉取镜像、\n运行容器", "containerd / CRI-O:\npulls images and runs\ncontainers via the CRI"))
    with g.cluster("addons", "addon", T("插件：以 Pod 形式运行，同样经 API 服务器读写", "Add-ons: run as Pods, also work through the API server")):
        g.node("dns", "addon", "CoreDNS", T("集群 DNS：为 Service\n提供域名解析", "Cluster DNS: DNS names\nfor Services"))
        g.node("ingress", "addon", T("Ingress 控制器", "Ingress controller"),
               T("按 Ingress 规则把外部\nHTTP(S) 流量引入 Service", "Routes external HTTP(S)\ntraffic to Services"))
        g.node("metrics", "addon", "Metrics Server",
               T("从各 kubelet 采集\nCPU / 内存用量，供 HPA\n与 kubectl top 使用",
                 "Collects CPU / memory\nfrom kubelets for HPA\nand kubectl top"))
        g.node("dash", "addon", "Dashboard", T("基于 Web 的图形界面", "Web-based UI"))
        g.node("logging", "addon", T("集群级日志", "Cluster-level logging"),
               T("采集并集中存储\n容器日志（如 Fluent Bit\n+ Elasticsearch）",
                 "Collects and stores\ncontainer logs (e.g. Fluent\nBit + Elasticsearch)"))
        g.same_rank("metrics", "ingress", "dns")
        g.chain("metrics", "ingress", "dns")
        g.same_rank("logging", "dash")
        g.chain("logging", "dash")
        g.edge("metrics", "logging", style="invis")
        g.edge("ingress", "dash", style="invis")
    g.same_rank("sched", "cm", "ccm")
    g.chain("sched", "cm", "ccm")
    g.same_rank("api", "etcd")
    g.same_rank("kubelet", "proxy", "cri")
    g.edge("api", "etcd", "data", dir="both", minlen="2")
    for c in ("sched", "cm", "ccm"):
        g.edge(c, "api", "watch", dir="both")
    for c in ("kubelet", "proxy"):
        g.edge("api", c, "watch", dir="both")
    g.edge("kubelet", "cri", "req")
    g.chain("cri", "proxy")
    g.edge("kubelet", "metrics", "req", T("采集指标", "scrape metrics"), back=True)
    g.edge("cri", "ingress", style="invis", weight="4")
    g.legend([("watch", T("list / watch 与写回（都经 API 服务器）", "list / watch and updates (all via the API server)")),
              ("req", T("直接调用", "direct call")),
              ("data", T("存储读写", "storage reads / writes"))])
    g.edge("dash", "legend", style="invis")


def etcd_service_discovery(g):
    """Service registration (lease + keepalive) and discovery (get + watch)."""
    with g.cluster("providers", "node", T("服务提供者：order 服务的实例", "Providers: instances of the order service")):
        g.node("i1", "node", T("实例 1", "Instance 1"), mono="10.0.0.11:8080")
        g.node("i2", "node", T("实例 2", "Instance 2"), mono="10.0.0.12:8080")
        g.node("i3", "dead", T("实例 3（已崩溃）", "Instance 3 (crashed)"), mono="10.0.0.13:8080", dashed=True)
    with g.cluster("etcd", "etcd", T("etcd 集群", "etcd cluster")):
        g.table("kv", "etcd", T("注册表：前缀 /services/order/", "Registry: prefix /services/order/"),
                [T("键", "Key"), T("租约", "Lease")],
                [("k1", ["`/services/order/10.0.0.11:8080", T("租约 A，TTL 10s", "lease A, TTL 10s")], None),
                 ("k2", ["`/services/order/10.0.0.12:8080", T("租约 B，TTL 10s", "lease B, TTL 10s")], None),
                 ("k3", ["`/services/order/10.0.0.13:8080", T("!租约 C 过期，键被删除", "!lease C expired: key deleted")], "dead")])
    with g.cluster("consumers", "actor", T("服务消费者", "Consumer")):
        g.node("client", "actor", "api-gateway",
               T("本地实例列表：10.0.0.11、10.0.0.12", "Local instance list: 10.0.0.11, 10.0.0.12"))
    g.edge("i1", "kv", "req", T("① 申请租约（TTL），\n带租约 put 自己的键", "① grant a lease (TTL),\nput own key with it"))
    g.edge("i2", "kv", "req", T("② 定期 keepalive\n为租约续期", "② keepalive\nrenews the lease"))
    g.edge("i3", "kv", "fail", T("✕ 续约中断，\nTTL 到期", "✕ keepalives stop,\nTTL runs out"))
    g.edge("kv", "client", "req", T("③ get --prefix\n取当前列表", "③ get --prefix:\ncurrent list"), back=True)
    g.edge("kv", "client", "watch",
           T("④ watch --prefix（从 get 的修订版本 + 1 起）\nPUT → 加入实例，DELETE → 移除实例",
             "④ watch --prefix (from the get's revision + 1)\nPUT → add instance, DELETE → remove it"))


def etcd_pub_sub(g):
    """Publish/subscribe with watch on a key prefix."""
    with g.cluster("pubs", "actor", T("发布者", "Publishers")):
        g.node("p1", "actor", T("配置服务", "Config service"), mono="put /config/app/…")
        g.node("p2", "actor", T("订单服务", "Order service"), mono="put /events/order/…")
    with g.cluster("etcd", "etcd", T("etcd 集群", "etcd cluster")):
        g.table("log", "etcd", T("按修订版本排列的事件", "Events in revision order"),
                [T("修订版本", "Revision"), T("事件", "Event"), T("键", "Key")],
                [("r1", ["101", "PUT", "`/config/app/db_url"], None),
                 ("r2", ["102", "PUT", "`/events/order/1001"], None),
                 ("r3", ["103", "PUT", "`/config/app/timeout"], None),
                 ("r4", ["104", "DELETE", "`/events/order/1001"], None)])
        g.node("note", "note", T("有序、可续订", "Ordered and resumable"),
               T("每个 watch 按修订版本顺序\n收到前缀下的事件；重连时用\n--rev 从指定修订版本续订，\n补收错过的事件（前提是\n这些修订版本尚未被压缩）",
                 "Each watcher gets the events\nunder its prefix in revision\norder. After a reconnect, --rev\nresumes from a given revision\nand replays what was missed\n(unless it was compacted)."))
        g.same_rank("log", "note")
        g.chain("log", "note")
    with g.cluster("subs", "node", T("订阅者", "Subscribers")):
        g.node("s1", "node", T("应用实例 A", "App instance A"), mono="watch /config/\n--prefix")
        g.node("s2", "node", T("应用实例 B", "App instance B"), mono="watch /config/\n--prefix")
        g.node("s3", "node", T("审计服务", "Audit service"), mono="watch /events/\n--prefix")
    g.edge("p1", "log", "req", "put 101, 103")
    g.edge("p2", "log", "req", "put 102, delete 104")
    g.edge("log", "s1", "watch", T("101 → 103", "101 → 103"))
    g.edge("log", "s2", "watch", T("101 → 103", "101 → 103"))
    g.edge("log", "s3", "watch", T("102 → 104", "102 → 104"))


def wal_and_mvcc(g):
    """A write's path through Raft, the WAL and the MVCC store."""
    g.node("client", "actor", T("客户端", "Client"), mono="put foo v2")
    with g.cluster("leader", "etcd", T("etcd 领导者", "etcd leader")):
        g.node("raft", "etcd", T("Raft 模块", "Raft module"),
               T("生成日志条目 {term, index, 请求}", "new log entry {term, index, request}"))
        g.node("wal", "disk", T("预写日志（WAL）", "Write-ahead log (WAL)"),
               T("追加条目并 fsync 落盘", "append the entry, fsync"), mono="member/wal/*.wal")
        with g.cluster("mvcc", "plain", T("MVCC 存储", "MVCC store")):
            g.table("index", "etcd", T("treeIndex（内存 B 树）", "treeIndex (in-memory B-tree)"),
                    [T("键", "Key"), T("keyIndex 中的修订版本", "Revisions in keyIndex")],
                    [("foo", ["foo", "[ ~~{2,0}~~  {4,0} ]"], None),
                     ("bar", ["bar", "[ {3,0} ]"], None)])
            g.table("bolt", "disk", T("bbolt 后端（member/snap/db）", "bbolt backend (member/snap/db)"),
                    [T("键：修订版本 {main, sub}", "Key: revision {main, sub}"), T("值：KeyValue", "Value: KeyValue")],
                    [("r1", ["{2,0}", "foo = v1"], "dead"),
                     ("r2", ["{3,0}", "bar = x"], None),
                     ("r3", ["{4,0}", T("foo = v2（本次写入）", "foo = v2 (this write)")], "hl")])
            g.same_rank("index", "bolt")
            g.edge("index:foo_r", "bolt:r3", "req")
        g.node("snap", "disk", T("快照", "Snapshots"),
               T("每应用 --snapshot-count 条保存一次\n（默认 10000，3.5 为 100000），\n更早的 WAL 文件随后可清理",
                 "saved every --snapshot-count\napplied entries (default 10000,\n100000 in 3.5);\nolder WAL files can then go"),
               mono="member/snap/*.snap")
        g.node("compact", "note", T("压缩", "Compaction"),
               T("compact(4) 删除修订版本 4 之前\n已被取代的历史（foo 的 {2,0}），\n每个键保留修订版本 4 时的值；\ndefrag 再把空闲空间还给文件系统",
                 "compact(4) removes history\nsuperseded before revision 4\n(foo's {2,0}); each key keeps the\nvalue current at revision 4;\ndefrag then frees the disk space"))
    with g.cluster("followers", "etcd", T("跟随者", "Followers")):
        g.node("f1", "etcd", T("跟随者 1", "Follower 1"), T("写 WAL、fsync，\n然后确认", "append to WAL,\nfsync, ack"))
        g.node("f2", "etcd", T("跟随者 2", "Follower 2"), T("写 WAL、fsync，\n然后确认", "append to WAL,\nfsync, ack"))
        g.edge("f1", "f2", style="invis")
    g.same_rank("snap", "wal", "f1")
    g.chain("snap", "wal")

    g.edge("client", "raft", "req", T("① 写请求", "① write"))
    g.edge("raft", "wal", "disk", T("② 追加 + fsync", "② append + fsync"))
    g.edge("raft", "f1", "data", T("② 同时复制日志", "② replicate, in parallel"))
    g.edge("raft", "f2", "data")
    g.edge("raft", "index", "data", T("③ 多数派确认后提交，\n应用到 MVCC", "③ quorum acked:\ncommit, apply\nto MVCC"),
           lhead="cluster_mvcc", minlen="2")
    g.edge("raft", "client", "req", T("④ 响应（修订版本 4）", "④ response (revision 4)"), constraint="false")
    g.edge("raft", "snap", "disk", T("⑤ 定期快照", "⑤ periodic snapshot"), style="dashed")
    g.edge("bolt:r1_r", "compact", "fail")


FIGURES = {
    "kubelet": (kubelet, {"rankdir": "TB"}),
    "kubernetes": (kubernetes, {"rankdir": "TB"}),
    "kubernetes-detail": (kubernetes_detail, {"rankdir": "TB"}),
    "etcd-service-discovery": (etcd_service_discovery, {"rankdir": "TB"}),
    "etcd-pub-sub": (etcd_pub_sub, {"rankdir": "TB"}),
    "wal-and-mvcc": (wal_and_mvcc, {"rankdir": "TB"}),
}


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------
def postprocess(svg):
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)  # version/title comments
    # Graphviz sets baselines a little high for these fonts: nudge text down.
    # It also measures text ~2 % narrower than browsers draw it: draw it 4 %
    # smaller than measured so that it never touches a border.
    svg = re.sub(r'(<text [^>]*?y=")(-?[0-9.]+)("[^>]*?font-size=")([0-9.]+)"',
                 lambda m: (f"{m[1]}{float(m[2]) + 0.15 * float(m[4]):.2f}{m[3]}"
                            f'{float(m[4]) * 0.96:.2f}"'), svg)
    # The background as a card with rounded corners.
    def card(m):
        xs = [float(v) for v in re.findall(r"(-?[0-9.]+),", m[2])]
        ys = [float(v) for v in re.findall(r",(-?[0-9.]+)", m[2])]
        return (f'<rect fill="{m[1]}" x="{min(xs):.1f}" y="{min(ys):.1f}" width="{max(xs) - min(xs):.1f}" '
                f'height="{max(ys) - min(ys):.1f}" rx="10"/>')
    svg = re.sub(r'<polygon fill="(#[0-9a-f]+)" stroke="transparent" points="([^"]+)"/>', card, svg, count=1)
    svg = svg.replace(f'font-family="{MEASURE_SANS}"', f'font-family="{SANS_STACK}"')
    svg = svg.replace(f'font-family="{MEASURE_MONO}"', f'font-family="{MONO_STACK}"')
    return svg


def dot_source(name, lang):
    build, attrs = FIGURES[name]
    g = Fig(lang, **attrs)
    build(g)
    return g.source(name)


def source_digest(name, lang):
    """Fingerprint of a figure's DOT source, stamped into its SVG so that the
    tests can tell, without Graphviz, whether an SVG is older than its source."""
    return hashlib.sha256(dot_source(name, lang).encode("utf-8")).hexdigest()[:16]


def render(name, lang):
    run = subprocess.run(["dot", "-Tsvg"], input=dot_source(name, lang).encode("utf-8"),
                         check=True, capture_output=True)
    sys.stderr.write(run.stderr.decode("utf-8"))  # Graphviz warnings, if any
    svg = postprocess(run.stdout.decode("utf-8"))
    svg = svg.replace("<svg ", f'<svg data-source="{source_digest(name, lang)}" ', 1)
    path = OUT_DIR / f"{name}.{lang}.svg"
    path.write_text(svg, encoding="utf-8")
    return path


def main(argv):
    for name in argv or FIGURES:
        for lang in LANGS:
            print(render(name, lang).relative_to(OUT_DIR.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
