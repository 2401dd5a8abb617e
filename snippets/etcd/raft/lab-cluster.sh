# lab-cluster.sh: the plumbing shared by the Raft labs. The labs source it; do not run it alone.
# It runs a throwaway 3-member etcd cluster (m1, m2, m3) on 127.0.0.1 and removes it on exit.
# Settings (environment variables):
#   LAB_BASE_PORT  first of 6 consecutive ports (client and peer port of each member), default 12379
#   LAB_PORTS      or the 6 ports explicitly: "client1 peer1 client2 peer2 client3 peer3"
#   LAB_DIR        directory for data and logs, default: a new temporary directory
#   LAB_TIMEOUT    seconds to wait for health or for a leader before giving up, default 20
# Everything below runs only when a lab sources this file: pasted into a shell, it changes nothing.
if [ -z "${BASH_SOURCE[0]:-}" ] || [ "${BASH_SOURCE[0]}" = "$0" ]; then
  echo "lab-cluster.sh is used by the Raft labs: save it next to them and run a lab, e.g. bash failover-lab.sh" >&2
else

: "${LAB_BASE_PORT:=12379}"
: "${LAB_PORTS:=$(seq "$LAB_BASE_PORT" $((LAB_BASE_PORT + 5)) | tr '\n' ' ')}"
: "${LAB_DIR:=$(mktemp -d)}"
: "${LAB_TIMEOUT:=20}"
mkdir -p "$LAB_DIR"
unset ETCDCTL_ENDPOINTS                      # the labs talk only to their own members

read -r -a lab_ports <<<"$LAB_PORTS"
client_url=() peer_url=() pid=() initial_cluster=""
for i in 1 2 3; do
  client_url[i]="http://127.0.0.1:${lab_ports[2 * i - 2]}"
  peer_url[i]="http://127.0.0.1:${lab_ports[2 * i - 1]}"
  initial_cluster+="${initial_cluster:+,}m$i=${peer_url[i]}"
done

lab_cleanup() {
  local status=$? i
  for i in 1 2 3; do
    if [ -n "${pid[i]:-}" ]; then kill -9 "${pid[i]}" 2>/dev/null || true; wait "${pid[i]}" 2>/dev/null || true; fi
  done
  if [ "$status" -ne 0 ]; then
    echo "lab failed (exit status $status); last log lines of each member:" >&2
    for i in 1 2 3; do tail -n 5 "$LAB_DIR/m$i.log" 2>/dev/null | sed "s/^/m$i: /" >&2 || true; done
  fi
  rm -rf "$LAB_DIR"/m[123].etcd "$LAB_DIR"/m[123].log
  rmdir "$LAB_DIR" 2>/dev/null || true       # removed when the lab left nothing else in it
}
trap lab_cleanup EXIT
trap 'exit 130' INT                          # Ctrl-C: exit, so the EXIT trap stops the members
trap 'exit 143' TERM

now() { echo "${EPOCHREALTIME:-$(date +%s)}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2fs", b - a }'; }   # "1.23s"
yes_no() { if "$@"; then echo yes; else echo no; fi; }

start_member() {                             # start_member 2: start m2 (it rejoins with its data dir)
  etcd --name "m$1" --data-dir "$LAB_DIR/m$1.etcd" \
    --listen-client-urls "${client_url[$1]}" --advertise-client-urls "${client_url[$1]}" \
    --listen-peer-urls "${peer_url[$1]}" --initial-advertise-peer-urls "${peer_url[$1]}" \
    --initial-cluster "$initial_cluster" --initial-cluster-token raft-lab \
    --initial-cluster-state new >>"$LAB_DIR/m$1.log" 2>&1 &
  pid[$1]=$!
}

kill_member() {                              # kill_member 2: SIGKILL, a process crash (not a power loss)
  kill -9 "${pid[$1]}"
  wait "${pid[$1]}" 2>/dev/null || true
  pid[$1]=""
}

running() { local i; for i in 1 2 3; do if [ -n "${pid[i]:-}" ]; then echo "$i"; fi; done; }
endpoints() { local i out=""; for i in $(running); do out+="${out:+,}${client_url[i]}"; done; echo "$out"; }

ctl() {                                      # ctl 2 get k: etcdctl against m2 only
  local member=$1; shift
  etcdctl --endpoints="${client_url[member]}" --dial-timeout=1s "$@"
}
ctl_all() { etcdctl --endpoints="$(endpoints)" --dial-timeout=1s "$@"; }   # any running member

role() {                                     # role 2: "leader" or "follower", from m2's own view
  ctl "$1" --command-timeout=1s endpoint status -w fields 2>/dev/null | awk -F' : ' '
    /^"MemberID"/ { me = $2 } /^"Leader"/ { leader = $2 }
    END { if (leader == "" || leader == 0) exit 1; print (me == leader ? "leader" : "follower") }'
}
term() {                                     # term 2: the Raft term m2 is in
  ctl "$1" --command-timeout=1s endpoint status -w fields 2>/dev/null | awk -F' : ' '
    /^"RaftTerm"/ { t = $2 } END { if (t == "") exit 1; print t }'
}

wait_healthy() {                             # wait_healthy 1 2 3: until each member answers
  local deadline=$((SECONDS + LAB_TIMEOUT)) i
  for i in "$@"; do
    until ctl "$i" --command-timeout=1s endpoint health >/dev/null 2>&1; do
      if ! { [ -n "${pid[i]:-}" ] && kill -0 "${pid[i]}" 2>/dev/null; }; then echo "m$i exited, see its log" >&2; return 1; fi
      if [ "$SECONDS" -ge "$deadline" ]; then echo "m$i not healthy after ${LAB_TIMEOUT}s" >&2; return 1; fi
      sleep 0.1
    done
  done
}

wait_for_leader() {                          # wait_for_leader [MIN_TERM]: sets LEADER, LEADER_TERM
  local min_term=${1:-0} deadline=$((SECONDS + LAB_TIMEOUT)) i
  while [ "$SECONDS" -lt "$deadline" ]; do
    for i in $(running); do
      if [ "$(role "$i" || true)" = leader ] && LEADER_TERM=$(term "$i") && [ "$LEADER_TERM" -ge "$min_term" ]; then
        LEADER=$i
        return 0
      fi
    done
    sleep 0.1
  done
  echo "no leader with term >= $min_term after ${LAB_TIMEOUT}s" >&2
  return 1
}

start_cluster() {                            # start all three members, wait for health and a leader
  local t0 i
  t0=$(now)
  for i in 1 2 3; do start_member "$i"; done
  wait_healthy 1 2 3
  wait_for_leader
  echo "cluster formed in $(since "$t0"): 3 members healthy, one leader"
}

fi
