"""The examples of docs/{zh,en}/etcd/auth.md: users, roles, enabling authentication and
what is allowed afterwards.

Enabling authentication on a shared server (``ETCD_ENDPOINTS``) would lock out every
other test, so these tests use ``private_etcd``: a server of their own, in a container
in container mode, even when ``ETCD_ENDPOINTS`` is set.
"""

from __future__ import annotations

import pytest

from paste_shell import Pasted, assert_unchanged, run_without_server
from snippet_runner import run_and_check, snippet_path


def test_users_roles_and_permissions(private_etcd, update_outputs):
    etcd = private_etcd

    run_and_check("etcd/auth/users-and-roles.sh", etcd, update_outputs)
    # The page: alice's role reads and writes the app/ prefix and only reads config/shared.
    role = etcd.etcdctl("role", "get", "app-rw").stdout
    reads, writes = role.split("KV Write:")
    assert "(prefix app/)" in reads and "config/shared" in reads
    assert "(prefix app/)" in writes and "config/shared" not in writes
    assert etcd.etcdctl("user", "get", "alice").stdout.split("Roles: ")[1].split() == ["app-rw"]
    assert etcd.etcdctl("auth", "status").stdout.startswith("Authentication Status: false")

    run_and_check("etcd/auth/enable-auth.sh", etcd, update_outputs)
    # Enabled for real: a request without credentials is now refused.
    anonymous = etcd.etcdctl("get", "app/config", check=False)
    assert anonymous.returncode != 0 and "user name is empty" in anonymous.stderr

    out = run_and_check("etcd/auth/permissions.sh", etcd, update_outputs)
    sections = dict(part.split("\n", 1) for part in out.split("== ")[1:])
    # Each section title states what happens; its output must say the same.
    for title, says in sections.items():
        if title.endswith(("rejected", "denied")):
            assert says.startswith("Error: etcdserver: "), (title, says)
    assert "authentication failed" in sections["wrong password: rejected"]
    assert "permission denied" in sections["alice writes the shared key she may only read: denied"]
    allowed = sections["alice inside her permissions: allowed"]
    assert "Error" not in allowed and "log-level=info" in allowed  # she reads the shared key
    assert "Authentication Disabled" in sections["root turns authentication off again"]

    # The denied writes really did not happen.
    assert etcd.etcdctl("get", "other/config", "--print-value-only").stdout == ""
    assert etcd.etcdctl("get", "config/shared", "--print-value-only").stdout == "log-level=info\n"


@pytest.mark.parametrize("page", ["etcd/auth/index.html", "en/etcd/auth/index.html"])
def test_role_get_output_keeps_its_tabs_on_the_page(built_site, page):
    """etcdctl role get indents permissions with tabs. Markdown turns tabs into spaces unless
    superfences preserves them (mkdocs.yml), so the page would show bytes etcdctl never printed."""
    from bs4 import BeautifulSoup

    printed = snippet_path("etcd/auth/users-and-roles.sh.out").read_text(encoding="utf-8")
    assert "\n\t[app/, app0)" in printed
    soup = BeautifulSoup((built_site.site_dir / page).read_text(encoding="utf-8"), "html.parser")
    shown = [pre.code.get_text() for pre in soup.select("div.highlight > pre")]
    assert printed in shown, "the page does not show the output of users-and-roles.sh byte for byte"


@pytest.mark.parametrize("snippet", ["users-and-roles.sh", "enable-auth.sh", "permissions.sh"])
def test_every_command_gives_up_when_etcd_does_not_answer(snippet, tmp_path):
    """A reader whose member is down or hung gets the prompt back: every command has a time limit."""
    result = run_without_server(snippet_path(f"etcd/auth/{snippet}"), tmp_path, timeout=90)
    if isinstance(result, Pasted):
        assert_unchanged(result)
    else:
        assert result.returncode != 0
