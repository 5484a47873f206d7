#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on this machine, for the cluster tests and the cluster bench.
#
#   scripts/galera/cluster.sh start           install what is missing, bootstrap node 1, join 2 and 3, wait until all are Synced
#   scripts/galera/cluster.sh status          one line per node: pid, port, state, cluster size
#   scripts/galera/cluster.sh kill N          kill -9 node N (no shutdown, as a crash)
#   scripts/galera/cluster.sh restart N       --wsrep-recover node N's position, start it, wait until it is Synced (IST)
#   scripts/galera/cluster.sh stop            stop every node (SIGTERM, by the pids in their pid files), keep the data
#   scripts/galera/cluster.sh destroy         stop, then remove the cluster's folder
#   scripts/galera/cluster.sh url N [DB]      mysql://root@127.0.0.1:PORT/DB of node N (DB defaults to store_monitor)
#
# Everything lives in GALERA_DIR (default: $TMPDIR/store-monitor-galera): one folder per node with
# its datadir, my.cnf, socket, pid file and log. Ports (loopback only) from GALERA_PORT_BASE
# (default 23300): SQL 23301..23303, group communication 23311..23313, IST 23321..23323,
# SST 23331..23333. Small buffer pools: the three nodes share this machine's cores and memory.
# Nodes run as root (this is a test machine), so state transfer is mariabackup (rsync would drop
# to nobody on the joiner and fail). Installs galera-4, socat and mariadb-backup with apt when missing.
set -euo pipefail

GALERA_DIR=${GALERA_DIR:-${TMPDIR:-/tmp}/store-monitor-galera}
BASE=${GALERA_PORT_BASE:-23300}
NODES=(1 2 3)
PROVIDER=${GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
MARIADBD=${MARIADBD:-/usr/sbin/mariadbd}

sql_port() { echo $((BASE + $1)); }
gcomm_port() { echo $((BASE + 10 + $1)); }
ist_port() { echo $((BASE + 20 + $1)); }
sst_port() { echo $((BASE + 30 + $1)); }
node_dir() { echo "$GALERA_DIR/node$1"; }
say() { echo "[galera] $*" >&2; }

client() { # client N SQL...
  local n=$1
  shift
  mariadb --protocol=tcp -h127.0.0.1 -P"$(sql_port "$n")" -uroot --connect-timeout=2 -N -B -e "$*"
}

status_var() { client "$1" "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | awk '{print $2}'; }

pid_of() {
  local file
  file="$(node_dir "$1")/node.pid"
  [[ -s $file ]] || return 1
  local pid
  pid=$(cat "$file")
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

install_missing() {
  local missing=()
  [[ -f $PROVIDER ]] || missing+=(galera-4)
  command -v socat >/dev/null 2>&1 || missing+=(socat)
  command -v mariadb-backup >/dev/null 2>&1 || command -v mariabackup >/dev/null 2>&1 || missing+=(mariadb-backup)
  [[ -x $MARIADBD ]] || missing+=(mariadb-server)
  if ((${#missing[@]} > 0)); then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

write_config() {
  local n=$1 dir
  dir=$(node_dir "$n")
  local members=()
  for m in "${NODES[@]}"; do members+=("127.0.0.1:$(gcomm_port "$m")"); done
  local address
  address=$(
    IFS=,
    echo "${members[*]}"
  )
  mkdir -p "$dir/data" "$dir/tmp"
  cat >"$dir/my.cnf" <<EOF
[mysqld]
user = root
datadir = $dir/data
tmpdir = $dir/tmp
socket = $dir/mariadbd.sock
pid-file = $dir/mariadbd.pid
log-error = $dir/mariadbd.log
port = $(sql_port "$n")
bind-address = 127.0.0.1
skip-name-resolve
local_infile = ON
max_connections = 200
max_allowed_packet = 256M
performance_schema = OFF
innodb_buffer_pool_size = 64M
innodb_log_file_size = 64M
innodb_flush_log_at_trx_commit = 2
innodb_autoinc_lock_mode = 2
default_storage_engine = InnoDB
binlog_format = ROW

wsrep_on = ON
wsrep_provider = $PROVIDER
wsrep_cluster_name = store_monitor_test
wsrep_cluster_address = gcomm://$address
wsrep_node_name = node$n
wsrep_node_address = 127.0.0.1:$(gcomm_port "$n")
wsrep_node_incoming_address = 127.0.0.1:$(sql_port "$n")
wsrep_provider_options = "gmcast.listen_addr=tcp://127.0.0.1:$(gcomm_port "$n");ist.recv_addr=127.0.0.1:$(ist_port "$n");gcache.size=128M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.install_timeout=PT6S"
wsrep_sst_method = mariabackup
wsrep_sst_receive_address = 127.0.0.1:$(sst_port "$n")
wsrep_sst_auth = root:
wsrep_slave_threads = 2

[sst]
progress = 0
EOF
}

start_node() { # start_node N [extra mariadbd options...]
  local n=$1
  shift
  local dir
  dir=$(node_dir "$n")
  if pid_of "$n" >/dev/null; then
    say "node $n already runs (pid $(pid_of "$n"))"
    return
  fi
  # setsid: the node outlives this script and is not in the caller's process group.
  setsid "$MARIADBD" --defaults-file="$dir/my.cnf" "$@" </dev/null >>"$dir/stdout.log" 2>&1 &
  echo $! >"$dir/node.pid"
}

wait_synced() { # wait_synced N [seconds]
  local n=$1 limit=${2:-180} waited=0
  while ((waited < limit)); do
    if [[ "$(status_var "$n" wsrep_local_state_comment)" == Synced && "$(status_var "$n" wsrep_ready)" == ON ]]; then
      return 0
    fi
    if ! pid_of "$n" >/dev/null && ((waited > 5)); then
      say "node $n is not running; the end of its log:"
      tail -n 30 "$(node_dir "$n")/mariadbd.log" >&2 || true
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  say "node $n not Synced after ${limit}s; the end of its log:"
  tail -n 30 "$(node_dir "$n")/mariadbd.log" >&2 || true
  return 1
}

cmd_start() {
  install_missing
  mkdir -p "$GALERA_DIR"
  for n in "${NODES[@]}"; do write_config "$n"; done
  if ! pid_of 1 >/dev/null && ! pid_of 2 >/dev/null && ! pid_of 3 >/dev/null; then
    local first=1 d1
    # After a clean stop of the whole cluster, the node that left last bootstraps it.
    for n in "${NODES[@]}"; do
      if grep -q '^safe_to_bootstrap: 1' "$(node_dir "$n")/data/grastate.dat" 2>/dev/null; then first=$n; fi
    done
    d1=$(node_dir "$first")
    if [[ ! -d $d1/data/mysql ]]; then
      say "initialising node $first"
      mariadb-install-db --defaults-file="$d1/my.cnf" --auth-root-authentication-method=normal \
        --skip-test-db >"$d1/install.log" 2>&1 || {
        cat "$d1/install.log" >&2
        exit 1
      }
      # The other nodes get their data by state transfer (mariabackup) when they join.
    fi
    say "bootstrapping node $first on port $(sql_port "$first")"
    # A test cluster: bootstrap even when no node was marked safe (e.g. after kill -9 of all).
    [[ -f $d1/data/grastate.dat ]] && sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$d1/data/grastate.dat"
    start_node "$first" --wsrep-new-cluster
    wait_synced "$first" 120
  fi
  for n in "${NODES[@]}"; do
    if ! pid_of "$n" >/dev/null; then
      say "joining node $n on port $(sql_port "$n")"
      start_node "$n"
      wait_synced "$n" 240
    fi
  done
  cmd_status
}

cmd_status() {
  for n in "${NODES[@]}"; do
    local pid state size
    pid=$(pid_of "$n" || echo -)
    state=$(status_var "$n" wsrep_local_state_comment || true)
    size=$(status_var "$n" wsrep_cluster_size || true)
    echo "node$n pid=$pid port=$(sql_port "$n") state=${state:-down} cluster_size=${size:-0}"
  done
}

cmd_kill() {
  local n=$1 pid
  pid=$(pid_of "$n") || {
    say "node $n is not running"
    return 0
  }
  say "kill -9 node $n (pid $pid)"
  kill -9 "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}

cmd_restart() {
  local n=$1 dir
  dir=$(node_dir "$n")
  if pid_of "$n" >/dev/null; then
    say "node $n already runs"
    return 0
  fi
  # After a crash the node's position is only in InnoDB: recover it, so that it catches up by
  # IST from a donor's gcache instead of a full state transfer.
  local position
  "$MARIADBD" --defaults-file="$dir/my.cnf" --wsrep-recover --log-error="$dir/recover.log" >/dev/null 2>&1 || true
  position=$(grep -o 'Recovered position: .*' "$dir/recover.log" 2>/dev/null | tail -n1 | awk '{print $3}')
  if [[ -n $position ]]; then
    say "node $n recovered position $position; restarting"
    start_node "$n" --wsrep-start-position="$position"
  else
    say "node $n: no position recovered; restarting (full state transfer)"
    start_node "$n"
  fi
  wait_synced "$n" 240
}

cmd_stop() {
  local pids=()
  for n in "${NODES[@]}"; do
    local pid
    if pid=$(pid_of "$n"); then
      kill -TERM "$pid"
      pids+=("$pid")
    fi
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 600); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "pid $pid still runs 60 s after SIGTERM: kill -9"
      kill -9 "$pid" || true
    fi
  done
}

case ${1:-} in
  start) cmd_start ;;
  status) cmd_status ;;
  kill) cmd_kill "${2:?node number}" ;;
  restart) cmd_restart "${2:?node number}" ;;
  stop) cmd_stop ;;
  destroy)
    cmd_stop
    rm -rf "$GALERA_DIR"
    ;;
  url) echo "mysql://root@127.0.0.1:$(sql_port "${2:?node number}")/${3:-store_monitor}" ;;
  *)
    sed -n '2,17p' "$0"
    exit 2
    ;;
esac
