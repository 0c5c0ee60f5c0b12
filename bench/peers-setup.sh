#!/usr/bin/env bash
# Install SpamAssassin and rspamd from Debian and start one spamd and one
# rspamd on loopback, each with one worker, running only the rules given.
#
# Usage:
#   bench/peers-setup.sh install
#       apt-get update once, then install spamassassin, spamc, spamd, rspamd.
#   bench/peers-setup.sh start --sa-rules FILE.cf --rspamd-rules FILE.lua
#       write configs under bench/out/peers/ and start both daemons.
#   bench/peers-setup.sh [--sa-rules FILE.cf --rspamd-rules FILE.lua]
#       both steps (rules default to a small built-in smoke-test set).
#
# Both daemons read only configs written here, never /etc:
# - spamd gets -C (default rules) and --siteconfigpath (site config) pointing
#   at bench/out/peers/sa/, so Debian's 70 rule files are not loaded. The site
#   config loads the one plugin that runs header and body rules
#   (Mail::SpamAssassin::Plugin::Check), no other plugin, so Razor, Pyzor, DCC,
#   SPF, DKIM, URIDNSBL and Bayes are absent. spamd runs with -L (local tests
#   only) and the config turns off DNS, RBL checks, Bayes and auto-learning.
# - rspamd gets -c with a complete rspamd.conf written here: the only C
#   filter is `regexp`, the Lua rules file is ours instead of Debian's
#   rules/rspamd.lua, every network-using Lua plugin is set `enabled = false`,
#   and its DNS resolver points at 127.0.0.1:53.
# For a guarantee beyond the configs, bench/compare.sh runs the daemons in a
# private network namespace that has only a loopback interface.
#
# Listening addresses: spamd 127.0.0.1:$SPAMD_PORT (default 17830), rspamd
# normal worker 127.0.0.1:$RSPAMD_PORT (default 17833). PIDs and logs are in
# bench/out/peers/. bench/peers-stop.sh stops both.
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
peers_dir="$bench_dir/out/peers"
spamd_port="${SPAMD_PORT:-17830}"
rspamd_port="${RSPAMD_PORT:-17833}"
startup_timeout_seconds="${PEERS_STARTUP_TIMEOUT:-300}"

log() {
    echo "peers-setup: $*" >&2
}

fail() {
    echo "peers-setup: error: $*" >&2
    exit 1
}

install_packages() {
    local missing=()
    command -v spamd >/dev/null 2>&1 || missing+=(spamd spamassassin)
    command -v spamc >/dev/null 2>&1 || missing+=(spamc)
    command -v rspamd >/dev/null 2>&1 || missing+=(rspamd)
    command -v rspamc >/dev/null 2>&1 || missing+=(rspamd)
    if [[ ${#missing[@]} -eq 0 ]]; then
        log "spamd, spamc, rspamd and rspamc are installed"
        return
    fi
    command -v apt-get >/dev/null 2>&1 || fail "apt-get not found; install spamassassin, spamc, spamd and rspamd by hand"
    log "installing spamassassin spamc spamd rspamd from Debian"
    apt-get update -q
    for package in spamassassin spamc spamd rspamd; do
        apt-cache show "$package" >/dev/null 2>&1 || fail "Debian package $package not found in the apt lists"
    done
    # Debian's package scripts may start the system services with the system
    # configs (network tests on), unless a policy-rc.d forbids it, as it does
    # in most containers. This script never stops a daemon it did not start,
    # so it only warns.
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        spamassassin spamc spamd rspamd
    warn_about_system_services
}

warn_about_system_services() {
    local pidfile
    for pidfile in /run/spamd.pid /run/rspamd/rspamd.pid; do
        if [[ -s "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
            log "warning: a system daemon runs with PID $(cat "$pidfile") ($pidfile) on the system config; stop it with your service manager"
        fi
    done
}

write_spamassassin_config() {
    local rules_file="$1"
    local sa_dir="$peers_dir/sa"
    rm -rf "$sa_dir"
    mkdir -p "$sa_dir/rules" "$sa_dir/site" "$sa_dir/home"
    cp "$rules_file" "$sa_dir/rules/50_bench.cf"

    cat >"$sa_dir/site/init.pre" <<'EOF'
# Only the plugin that runs header, body and meta rules. No network, Bayes
# or auto-learn plugin is loaded.
loadplugin Mail::SpamAssassin::Plugin::Check
EOF
    cat >"$sa_dir/site/local.cf" <<'EOF'
required_score 5
report_safe 0
use_bayes 0
bayes_auto_learn 0
skip_rbl_checks 1
dns_available no
dns_server 127.0.0.1
use_learner 0
# Silences the "no tlds defined" warning; URI rules are not benchmarked.
util_rb_tld com net org
EOF
    chown -R debian-spamd: "$sa_dir" 2>/dev/null || true
}

write_rspamd_config() {
    local rules_file="$1"
    local rs_dir="$peers_dir/rspamd"
    rm -rf "$rs_dir"
    mkdir -p "$rs_dir/db" "$rs_dir/run"
    cp "$rules_file" "$rs_dir/rules.lua"

    local disabled_modules=(
        antivirus arc asn aws_s3 bayes_expiry bimi clickhouse clustering dcc
        dkim_signing dmarc dynamic_conf elastic emails external_relay
        external_services force_actions forged_recipients fuzzy_check
        fuzzy_collect greylist hfilter history_redis http_headers ip_score
        maillist maps_stats metadata_exporter metric_exporter mid milter_headers
        mime_types multimap mx_check neural once_received p0f phishing
        ratelimit rbl replies reputation rspamd_update spamassassin spamtrap
        spf trie url_redirector whitelist dkim chartable surbl
    )

    {
        cat <<EOF
# Written by bench/peers-setup.sh: a complete rspamd config that loads only
# the benchmark rules and reaches nothing beyond loopback.
lua = "$rs_dir/rules.lua";

modules {
    path = "\${PLUGINSDIR}";
}

options {
    pidfile = "$rs_dir/run/rspamd.pid";
    filters = "regexp";
    cache_file = "$rs_dir/db/symbols.cache";
    hs_cache_dir = "$rs_dir/db/";
    dynamic_conf = "$rs_dir/db/rspamd_dynamic";
    history_file = "$rs_dir/db/rspamd.history";
    stats_file = "$rs_dir/db/stats.ucl";
    control_socket = "$rs_dir/run/rspamd.sock mode=0600";
    explicit_modules = [];
    check_all_filters = true;
    task_timeout = 60s;
    local_addrs = [127.0.0.0/8];
    dns {
        nameserver = ["127.0.0.1:53"];
        timeout = 100ms;
        retransmits = 0;
    }
}

logging {
    type = "file";
    filename = "$rs_dir/rspamd.log";
    level = "info";
}

worker "normal" {
    bind_socket = "127.0.0.1:$rspamd_port";
    count = 1;
    task_timeout = 60s;
}

actions {
    reject = 150;
    "add header" = 50;
    greylist = 40;
}

regexp {
}

EOF
        local module
        for module in "${disabled_modules[@]}"; do
            echo "$module { enabled = false; }"
        done
    } >"$rs_dir/rspamd.conf"
    chown -R _rspamd: "$rs_dir" 2>/dev/null || true
}

wait_for_port() {
    local name="$1" port="$2" deadline=$((SECONDS + startup_timeout_seconds))
    while ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            fail "$name did not listen on 127.0.0.1:$port within ${startup_timeout_seconds}s; see its log in $peers_dir"
        fi
        sleep 0.2
    done
}

start_spamd() {
    local sa_dir="$peers_dir/sa"
    log "starting spamd on 127.0.0.1:$spamd_port"
    spamd --daemonize --local --nouser-config \
        --username=debian-spamd --helper-home-dir="$sa_dir/home" \
        --configpath="$sa_dir/rules" --siteconfigpath="$sa_dir/site" \
        --listen="127.0.0.1:$spamd_port" --allowed-ips=127.0.0.1 \
        --max-children=1 --min-children=1 --min-spare=0 --max-spare=1 \
        --max-conn-per-child=1000000 --timeout-child=120 \
        --pidfile="$sa_dir/spamd.pid" --syslog="$sa_dir/spamd.log" \
        </dev/null >>"$sa_dir/spamd.out" 2>&1
    wait_for_port spamd "$spamd_port"
}

start_rspamd() {
    local rs_dir="$peers_dir/rspamd"
    log "starting rspamd on 127.0.0.1:$rspamd_port"
    rspamd --config "$rs_dir/rspamd.conf" --user _rspamd --group _rspamd \
        --pid "$rs_dir/run/rspamd.pid" \
        --var "DBDIR=$rs_dir/db" --var "RUNDIR=$rs_dir/run" --var "LOGDIR=$rs_dir" \
        </dev/null >>"$rs_dir/rspamd.out" 2>&1
    wait_for_port rspamd "$rspamd_port"
    wait_for_hyperscan "$rs_dir/rspamd.log"
}

# rspamd matches with PCRE until its hs_helper process has compiled the
# Hyperscan databases and the worker has loaded them. Measure after that.
wait_for_hyperscan() {
    local log_file="$1" deadline=$((SECONDS + startup_timeout_seconds))
    local pattern='\(normal\).*hyperscan database of [0-9]+ regexps has been loaded'
    while ! grep -q -E "$pattern" "$log_file" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            log "warning: rspamd logged no Hyperscan load within ${startup_timeout_seconds}s; it may still match with PCRE"
            return
        fi
        sleep 0.5
    done
    log "rspamd:$(grep -m1 -o -E "$pattern" "$log_file" | sed 's/.*;//')"
}

write_smoke_rules() {
    local target_dir="$peers_dir/smoke"
    mkdir -p "$target_dir"
    cat >"$target_dir/rules.cf" <<'EOF'
header BENCH_SMOKE_SUBJECT Subject =~ /\bfree\b/i
score BENCH_SMOKE_SUBJECT 3
body BENCH_SMOKE_BODY /click here/i
score BENCH_SMOKE_BODY 3
EOF
    cat >"$target_dir/rules.lua" <<'EOF'
config['regexp'] = {}
local reconf = config['regexp']
reconf['BENCH_SMOKE_SUBJECT'] = { re = [[Subject=/\bfree\b/i{header}]], score = 3.0 }
reconf['BENCH_SMOKE_BODY'] = { re = [[/click here/i{sa_body}]], score = 3.0 }
EOF
    echo "$target_dir"
}

main() {
    local command="all" sa_rules="" rspamd_rules=""
    while [[ $# -gt 0 ]]; do
        case "$1" in
        install | start | all) command="$1" ;;
        --sa-rules) sa_rules="$2"; shift ;;
        --rspamd-rules) rspamd_rules="$2"; shift ;;
        *) fail "unknown argument $1 (expected install, start, --sa-rules FILE, --rspamd-rules FILE)" ;;
        esac
        shift
    done

    if [[ "$command" == install || "$command" == all ]]; then
        install_packages
    fi
    if [[ "$command" == install ]]; then
        return
    fi

    mkdir -p "$peers_dir"
    if [[ -z "$sa_rules" || -z "$rspamd_rules" ]]; then
        local smoke_dir
        smoke_dir="$(write_smoke_rules)"
        sa_rules="${sa_rules:-$smoke_dir/rules.cf}"
        rspamd_rules="${rspamd_rules:-$smoke_dir/rules.lua}"
    fi
    [[ -f "$sa_rules" ]] || fail "SpamAssassin rules file $sa_rules not found"
    [[ -f "$rspamd_rules" ]] || fail "rspamd rules file $rspamd_rules not found"

    "$bench_dir/peers-stop.sh" >/dev/null 2>&1 || true
    write_spamassassin_config "$sa_rules"
    write_rspamd_config "$rspamd_rules"
    start_spamd
    start_rspamd
    log "spamd PID $(cat "$peers_dir/sa/spamd.pid"), rspamd PID $(cat "$peers_dir/rspamd/run/rspamd.pid")"
}

main "$@"
