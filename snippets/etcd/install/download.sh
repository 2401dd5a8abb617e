# Which release to install, and where: set either variable beforehand to change it.
# v3.6.14 was the newest patch of the 3.6 series (the one Kubernetes runs) when this was
# written; a later one is fine too.
ETCD_VER="${ETCD_VER:-v3.6.14}"
ETCD_INSTALL_DIR="${ETCD_INSTALL_DIR:-$HOME/.local/etcd}"

# choose either URL, or set DOWNLOAD_URL beforehand to a mirror with the same
# layout, e.g. DOWNLOAD_URL=https://mirrors.huaweicloud.com/etcd
GOOGLE_URL=https://storage.googleapis.com/etcd
GITHUB_URL=https://github.com/etcd-io/etcd/releases/download
DOWNLOAD_URL="${DOWNLOAD_URL:-${GITHUB_URL}}"

ETCD_TARBALL="etcd-${ETCD_VER}-linux-amd64.tar.gz"
ETCD_TMP_DIR="$(mktemp -d)"

# -f turns an HTTP error (a 404 for a version the server does not have) into a failure;
# nothing is installed then, and the block ends with a failure status. curl gives up
# after 10 minutes (or 30 seconds without a connection).
if curl -fsSL --connect-timeout 30 --max-time 600 \
    "${DOWNLOAD_URL}/${ETCD_VER}/${ETCD_TARBALL}" -o "${ETCD_TMP_DIR}/${ETCD_TARBALL}"; then
  mkdir -p "${ETCD_INSTALL_DIR}"
  tar xzf "${ETCD_TMP_DIR}/${ETCD_TARBALL}" -C "${ETCD_INSTALL_DIR}" --strip-components=1
  rm -rf "${ETCD_TMP_DIR}"
  "${ETCD_INSTALL_DIR}/etcd" --version
  "${ETCD_INSTALL_DIR}/etcdctl" version
  "${ETCD_INSTALL_DIR}/etcdutl" version
else
  rm -rf "${ETCD_TMP_DIR}"
  false
fi
