#!/usr/bin/env bash
# Install the Debian packages that `make test` needs and this machine lacks:
# as root, or through sudo; otherwise print the command to run and fail.
set -euo pipefail

missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need jq jq      # several etcd snippets parse etcdctl's JSON with it
need curl curl  # the install page's download script, the partition labs' control calls
need openssl openssl  # the TLS page's certificates
# Playwright drives the system Chromium, or the one $CHROMIUM names.
[ -n "${CHROMIUM:-}" ] || command -v chromium-browser >/dev/null 2>&1 || need chromium chromium
# Playwright's own Node.js, which talks to Chromium, links against libatomic.
{ ldconfig -p 2>/dev/null || /sbin/ldconfig -p; } | grep -q 'libatomic\.so\.1' || missing+=(libatomic1)
# Chinese glyphs for the browser tests' screenshots and layout checks.
{ command -v fc-list >/dev/null && fc-list | grep -qi 'Noto Sans CJK'; } || missing+=(fonts-noto-cjk)

((${#missing[@]})) || exit 0
install=(apt-get install -y --no-install-recommends "${missing[@]}")
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo)
else
  echo "The tests need these Debian packages: ${missing[*]}" >&2
  echo "Install them as root, then run make test again:" >&2
  echo "  apt-get update && ${install[*]}" >&2
  exit 1
fi
echo "Installing the Debian packages the tests need: ${missing[*]}" >&2
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive "${install[@]}"
