"""The examples of docs/{zh,en}/etcd/auth.md: users, roles, enabling authentication and
what is allowed afterwards.

Enabling authentication on a shared server (``ETCD_ENDPOINTS``) would lock out every
other test, so these tests use ``private_etcd``: a server of their own, in a container
in container mode, even when ``ETCD_ENDPOINTS`` is set.
"""

from __future__ import annotations

import subprocess

import pytest

from etcd_harness import Etcd
from paste_shell import Pasted, assert_unchanged, run_without_server
from snippet_runner import run_and_check, snippet_path


def etcdctl(etcd: Etcd, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["etcdctl", *args], env=etcd.env, capture_output=True, text=True, timeout=30)


def test_users_roles_and_permissions(private_etcd, update_outputs):
    etcd = private_etcd

    out = run_and_check("etcd/auth/users-and-roles.sh", etcd, update_outputs)
    assert "Role app-rw created\n" in out
    assert "KV Read:\n\t[app/, app0) (prefix app/)\n\tconfig/shared\nKV Write:\n\t[app/, app0) (prefix app/)\n" in out
    assert out.endswith("User: alice\nRoles: app-rw\n")
    assert etcdctl(etcd, "auth", "status").stdout.startswith("Authentication Status: false")

    out = run_and_check("etcd/auth/enable-auth.sh", etcd, update_outputs)
    assert "Role root is granted to user root\nAuthentication Enabled\n" in out
    # Enabled for real: a request without credentials is now refused.
    anonymous = etcdctl(etcd, "get", "app/config")
    assert anonymous.returncode != 0 and "user name is empty" in anonymous.stderr

    out = run_and_check("etcd/auth/permissions.sh", etcd, update_outputs)
    sections = dict(part.split("\n", 1) for part in out.split("== ")[1:])
    assert sections["no credentials: rejected"] == "Error: etcdserver: user name is empty\n"
    assert sections["wrong password: rejected"] == \
        "Error: etcdserver: authentication failed, invalid user ID or password\n"
    assert sections["alice writes outside app/: denied"] == "Error: etcdserver: permission denied\n"
    assert sections["alice writes the shared key she may only read: denied"] == \
        "Error: etcdserver: permission denied\n"
    assert sections["alice inside her permissions: allowed"] == \
        "OK\napp/config\nv1\nlog-level=info\n"
    assert sections["root turns authentication off again"] == "Authentication Disabled\nv1\n"

    # The denied writes really did not happen.
    assert etcdctl(etcd, "get", "other/config", "--print-value-only").stdout == ""
    assert etcdctl(etcd, "get", "config/shared", "--print-value-only").stdout == "log-level=info\n"


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
