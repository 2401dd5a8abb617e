# verify-backup.sh SNAPSHOT: prints "ok REVISION" if SNAPSHOT can be restored, "broken" if it cannot
# (in a subshell: pasted by mistake, it leaves your shell as it was)
(
file=${1:?usage: bash verify-backup.sh SNAPSHOT}
scratch=$(mktemp -d)
# A trial restore checks the SHA-256 that etcdctl snapshot save appends; snapshot status alone does not.
if timeout 60 etcdutl snapshot restore "$file" --data-dir "$scratch/restored" >/dev/null 2>&1; then
  echo "ok $(timeout 60 etcdutl snapshot status "$file" -w json | jq '.revision')"
else
  echo broken
fi
rm -rf "$scratch"
)
