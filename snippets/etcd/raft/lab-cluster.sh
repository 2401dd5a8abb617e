# lab-cluster.sh: the plumbing shared by the Raft and partition labs. The labs source it; do not run it alone.
# It runs a throwaway 3-member etcd cluster (m1, m2, m3) on 127.0.0.1 and removes it on exit.
# Settings (environment variables):
#   LAB_BASE_PORT  first of 6 consecutive ports (client and peer port of each member), default 12379
#   LAB_PORTS      or the 6 ports explicitly: "client1 peer1 client2 peer2 client3 peer3"
#   LAB_DIR        directory for data, logs and a lab's own *.tmp files, default: a new temporary directory
#   LAB_TIMEOUT    seconds to wait for health or for a leader before giving up, default 20
# A lab that sets lab_partitions=yes before sourcing it puts partition.py (saved next to this file) between
# the members, so that isolate N and heal N can cut mN off from its peers and reconnect it. It then takes
# 10 ports: the 6 above, a proxy port for each member (the peer URL the others dial), and a control port.
# A lab that sets lab_extra_members=N gets N more member slots (m4, ...) with a client and a peer port
# each, after the others; start_cluster leaves them alone, and the lab adds them to the cluster itself.
# On exit, the processes in kill_on_exit (a lab adds to it; pause does) get SIGKILL, the lab's other
# background jobs SIGTERM.
# Everything below runs only when a lab sources this file: pasted into a shell, it changes nothing.
if [ -z "${BASH_SOURCE[0]:-}" ] || [ "${BASH_SOURCE[0]}" = "$0" ]; then
  echo "lab-cluster.sh is used by the etcd labs: save it next to them and run a lab, e.g. bash failover-lab.sh" >&2
else

: "${LAB_BASE_PORT:=12379}"
port_count=6; if [ -n "${lab_partitions:-}" ]; then port_count=10; fi
first_extra_port=$port_count; port_count=$((port_count + 2 * ${lab_extra_members:-0}))
: "${LAB_PORTS:=$(seq "$LAB_BASE_PORT" $((LAB_BASE_PORT + port_count - 1)) | tr '\n' ' ')}"
: "${LAB_DIR:=$(mktemp -d)}"
: "${LAB_TIMEOUT:=20}"
mkdir -p "$LAB_DIR"
unset ETCDCTL_ENDPOINTS                      # the labs talk only to their own members

read -r -a lab_ports <<<"$LAB_PORTS"
client_url=() peer_url=() advertised_peer_url=() pid=() initial_cluster="" proxy_pid="" kill_on_exit=()
for i in 1 2 3; do
  client_url[i]="http://127.0.0.1:${lab_ports[2 * i - 2]}"
  peer_url[i]="http://127.0.0.1:${lab_ports[2 * i - 1]}"              # where mi listens for its peers
  advertised_peer_url[i]=${peer_url[i]}                                # where its peers dial it
  if [ -n "${lab_partitions:-}" ]; then advertised_peer_url[i]="http://127.0.0.1:${lab_ports[5 + i]}"; fi
  initial_cluster+="${initial_cluster:+,}m$i=${advertised_peer_url[i]}"
done
control_url="http://127.0.0.1:${lab_ports[9]:-}"                     # partition.py's control API
for ((i = 4; i <= 3 + ${lab_extra_members:-0}; i++)); do             # not in initial_cluster
  client_url[i]="http://127.0.0.1:${lab_ports[first_extra_port + 2 * i - 8]}"
  peer_url[i]="http://127.0.0.1:${lab_ports[first_extra_port + 2 * i - 7]}"
  advertised_peer_url[i]=${peer_url[i]}
done

lab_cleanup() {
  local status=$? i
  for i in "${!pid[@]}"; do
    if [ -n "${pid[i]:-}" ]; then kill -9 "${pid[i]}" 2>/dev/null || true; wait "${pid[i]}" 2>/dev/null || true; fi
  done
  if [ -n "$proxy_pid" ]; then kill "$proxy_pid" 2>/dev/null || true; wait "$proxy_pid" 2>/dev/null || true; fi
  for i in "${kill_on_exit[@]}"; do kill -9 "$i" 2>/dev/null || true; done   # SIGKILL: ends a stopped process too
  for i in $(jobs -p); do kill "$i" 2>/dev/null || true; done   # anything else a lab left in the background
  if [ "$status" -ne 0 ] && [ "$status" -ne 130 ]; then   # 130: Ctrl-C, which is no failure
    echo "lab failed (exit status $status); last log lines of each member:" >&2
    for i in "${!client_url[@]}"; do tail -n 5 "$LAB_DIR/m$i.log" 2>/dev/null | sed "s/^/m$i: /" >&2 || true; done
  fi
  rm -rf "$LAB_DIR"/m[1-9].etcd "$LAB_DIR"/m[1-9].log "$LAB_DIR"/partition.log "$LAB_DIR"/*.tmp
  rmdir "$LAB_DIR" 2>/dev/null || true       # removed when the lab left nothing else in it
}
trap lab_cleanup EXIT
trap 'exit 130' INT                          # Ctrl-C: exit, so the EXIT trap stops the members
trap 'exit 143' TERM

now() { echo "${EPOCHREALTIME:-$(date +%s)}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2fs", b - a }'; }   # "1.23s"
yes_no() { if "$@"; then echo yes; else echo no; fi; }

start_member() {                             # start_member 2: start m2 (it rejoins with its data dir)
  local i=$1; shift                          # start_member 2 --flag=value: with more etcd flags
  etcd --name "m$i" --data-dir "$LAB_DIR/m$i.etcd" \
    --listen-client-urls "${client_url[i]}" --advertise-client-urls "${client_url[i]}" \
    --listen-peer-urls "${peer_url[i]}" --initial-advertise-peer-urls "${advertised_peer_url[i]}" \
    --initial-cluster "$initial_cluster" --initial-cluster-token raft-lab \
    --initial-cluster-state new "$@" >>"$LAB_DIR/m$i.log" 2>&1 &
  pid[i]=$!
}

kill_member() {                              # kill_member 2: SIGKILL, a process crash (not a power loss)
  kill -9 "${pid[$1]}"
  wait "${pid[$1]}" 2>/dev/null || true
  pid[$1]=""
}

pause() { kill -STOP "$@"; kill_on_exit+=("$@"); }   # pause PID...: SIGSTOP, like a long GC pause
resume() { kill -CONT "$@"; }                # resume PID...: they carry on where they stopped

running() { local i; for i in "${!pid[@]}"; do if [ -n "${pid[i]:-}" ]; then echo "$i"; fi; done; }
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

start_partition_proxies() {                  # partition.py in front of each member's peer port
  local i members=() deadline=$((SECONDS + LAB_TIMEOUT))
  for i in 1 2 3; do members+=("m$i=${lab_ports[5 + i]}:${lab_ports[2 * i - 1]}"); done
  python3 "$(dirname "${BASH_SOURCE[0]}")/partition.py" --control-port "${lab_ports[9]}" "${members[@]}" \
    >"$LAB_DIR/partition.log" 2>&1 &
  proxy_pid=$!
  until grep -qsx ready "$LAB_DIR/partition.log"; do
    if ! kill -0 "$proxy_pid" 2>/dev/null; then echo "partition.py exited:" >&2; cat "$LAB_DIR/partition.log" >&2; return 1; fi
    if [ "$SECONDS" -ge "$deadline" ]; then echo "partition.py not ready after ${LAB_TIMEOUT}s" >&2; return 1; fi
    sleep 0.1
  done
}
isolate() { curl -fsS -m 2 -X POST "$control_url/isolate/m$1" >/dev/null; }   # isolate 2: cut m2 off
heal() { curl -fsS -m 2 -X POST "$control_url/heal/m$1" >/dev/null; }         # heal 2: reconnect m2

start_cluster() {                            # start all three members, wait for health and a leader
  local t0 i
  t0=$(now)
  if [ -n "${lab_partitions:-}" ]; then start_partition_proxies; fi
  for i in 1 2 3; do start_member "$i"; done
  wait_healthy 1 2 3
  wait_for_leader
  echo "cluster formed in $(since "$t0"): 3 members healthy, one leader"
}

fi
