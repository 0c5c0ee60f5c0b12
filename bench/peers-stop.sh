#!/usr/bin/env bash
# Stop the spamd and rspamd that bench/peers-setup.sh started, by the PIDs in
# their pid files, and wait until they have exited.
set -uo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
peers_dir="$bench_dir/out/peers"

stop_pidfile() {
    local name="$1" pidfile="$2" pid
    if [[ ! -s "$pidfile" ]]; then
        echo "peers-stop: $name not running (no $pidfile)"
        return
    fi
    pid="$(cat "$pidfile")"
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "peers-stop: $name (PID $pid) already stopped"
        rm -f "$pidfile"
        return
    fi
    kill -TERM "$pid"
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "peers-stop: $name (PID $pid) still running after 10s, sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null
    fi
    rm -f "$pidfile"
    echo "peers-stop: stopped $name (PID $pid)"
}

stop_pidfile spamd "$peers_dir/sa/spamd.pid"
stop_pidfile rspamd "$peers_dir/rspamd/run/rspamd.pid"
