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
    "disk":  ("#fff7ed", "#fdba74"),
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
    "fail":  {"color": "#dc2626", "style": "dashed"},
    "weak":  {"color": "#94a3b8", "style": "dotted"},
}


def T(zh, en):
    """A label in both languages."""
    return {"zh": zh, "en": en}


def esc(text):
    return html.escape(text, quote=False)


def lines(text, size=None, color=None, face=None, bold=False, align=None):
    """Escape text for an HTML-like label; '\\n' starts a new line."""
    br = f'<BR ALIGN="{align}"/>' if align else "<BR/>"
    body = br.join(esc(part) for part in text.split("\n"))
    if align:
        body += br  # the alignment of a line is set by the break that ends it
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
        self.out = []
        self.indent = 1
        graph = {
            "rankdir": rankdir, "bgcolor": BG, "pad": "0.3", "nodesep": "0.35",
            "ranksep": "0.55", "fontname": MEASURE_SANS, "fontsize": "13",
            "fontcolor": INK, "newrank": "true", "compound": "true",
            "splines": "spline", "outputorder": "edgesfirst",
        }
        graph.update(graph_attrs)
        self.stmt(f"graph [{attr_list(graph)}]")
        self.stmt(f"node [{attr_list({'fontname': MEASURE_SANS, 'fontsize': '13', 'fontcolor': INK, 'penwidth': '1.3', 'margin': '0.16,0.08'})}]")
        self.stmt(f"edge [{attr_list({'fontname': MEASURE_SANS, 'fontsize': '11', 'fontcolor': MUTED, 'arrowsize': '0.7', 'penwidth': '1.3'})}]")

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
                mono = cell.startswith("`")
                pieces = cell.lstrip("`").split("~~")
                body = "".join(
                    (f"<S>{lines(piece)}</S>" if k % 2 else lines(piece)) if piece else ""
                    for k, piece in enumerate(pieces))
                if style == "dead":
                    body = f"<S>{body}</S>"
                face = f' FACE="{MEASURE_MONO}"' if mono else ""
                body = f'<FONT POINT-SIZE="{11 if mono else 12}" COLOR="{color}"{face}>{body}</FONT>'
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

    def text(self, nid, body, size=11, color=MUTED, **attrs):
        """Free text (left aligned)."""
        base = {"shape": "plain", "label": "<" + lines(self.t(body), size=size, color=color, align="LEFT") + ">"}
        base.update(attrs)
        self.stmt(f"{nid} [{attr_list(base)}]")

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

    def same_rank(self, *nids):
        self.stmt("{rank=same; " + "; ".join(nids) + "}")

    # -- clusters -----------------------------------------------------------
    @contextmanager
    def cluster(self, cid, kind, title, dashed=False):
        fill, line = CLUSTER[kind]
        self.stmt(f"subgraph cluster_{cid} {{")
        self.indent += 1
        label = "<" + lines(self.t(title), bold=True, size=13, color=NODE.get(kind, NODE["addon"])[2]) + ">" if title else ""
        self.stmt(f"graph [{attr_list({'label': label, 'labeljust': 'l', 'style': 'rounded,filled' + (',dashed' if dashed else ''), 'fillcolor': fill, 'color': line, 'penwidth': '1.3', 'margin': '14'})}]")
        yield
        self.indent -= 1
        self.stmt("}")

    def legend(self, items):
        """items: list of (edge kind, label); drawn as short sample edges."""
        with self.cluster("legend", "plain", T("图例", "Legend")):
            for i, (kind, label) in enumerate(items):
                self.stmt(f'lg{i}a [shape=point, width=0.02, color="{BG}"]')
                self.stmt(f'lg{i}b [shape=plain, label=<{lines(self.t(label), size=11, color=MUTED)}>]')
                self.stmt(f"lg{i}a -> lg{i}b [{attr_list(dict(EDGE[kind], minlen='1'))}]")

    def source(self, name):
        return f"digraph {name.replace('-', '_')} {{\n" + "\n".join(self.out) + "\n}\n"


# --------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------
API = T("kube-apiserver", "kube-apiserver")


def kubelet(g):
    """The kubelet on one worker node."""
    with g.cluster("cp", "cp", T("控制平面", "Control plane")):
        g.node("api", "cp", API, T("集群状态的唯一入口", "Front door to cluster state"))
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


FIGURES = {
    "kubelet": (kubelet, {"rankdir": "TB"}),
}


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------
def postprocess(svg):
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)  # version/title comments
    svg = svg.replace(f'font-family="{MEASURE_SANS}"', f'font-family="{SANS_STACK}"')
    svg = svg.replace(f'font-family="{MEASURE_MONO}"', f'font-family="{MONO_STACK}"')
    return svg


def render(name, lang):
    build, attrs = FIGURES[name]
    g = Fig(lang, **attrs)
    build(g)
    dot = g.source(name)
    svg = subprocess.run(["dot", "-Tsvg"], input=dot.encode(), check=True,
                         capture_output=True).stdout.decode()
    path = OUT_DIR / f"{name}.{lang}.svg"
    path.write_text(postprocess(svg), encoding="utf-8")
    return path, dot


def main(argv):
    names = argv or list(FIGURES)
    for name in names:
        for lang in LANGS:
            path, _ = render(name, lang)
            print(path.relative_to(OUT_DIR.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
