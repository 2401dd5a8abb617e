# cas-put.sh KEY REVISION VALUE: writes VALUE to KEY only if KEY's mod_revision is still
# REVISION (0: only if KEY does not exist), as kube-apiserver does on every update and create.
# Prints OK when it wrote and CONFLICT when it did not.
key=$1 revision=$2 value=$3
result=$(timeout 10 etcdctl --dial-timeout=3s --command-timeout=5s txn <<EOF
mod("$key") = "$revision"

put $key "$value"


EOF
)
case $(printf '%s\n' "$result" | head -n 1) in
  SUCCESS) echo OK ;;
  FAILURE) echo CONFLICT ;;
  *) echo "etcd did not answer" >&2; exit 2 ;;
esac
