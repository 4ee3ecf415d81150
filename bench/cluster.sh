#!/usr/bin/env bash
# Cluster mode benchmark (issue 9): the `room` scenario on 1 node vs 2 nodes sharing rooms through
# Redis, beside a single in-memory node for reference. Run it alone on an idle machine:
#   bench/cluster.sh                 N = 10 100 1000 chatters, 10 s each (about 3 minutes)
#   bench/cluster.sh --smoke         N = 10 for 2 s: only checks the harness (prints the table, leaves
#                                    BENCHMARKS.md alone, raw lines in bench/target/cluster-smoke/)
#   BENCH_NS="10 100" BENCH_SECONDS=5 bench/cluster.sh
# Needs redis-server (bash .ci/setup). Starts its own redis-server (persistence off) and nodes on
# free loopback ports, stops each by its PID, writes a table into BENCHMARKS.md between the
# cluster:begin/end markers and the raw JSON lines into bench/results/cluster/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
JAVA_HOME=$("$root/loomchat" java-home)
export JAVA_HOME
java="$JAVA_HOME/bin/java"
ns=${BENCH_NS:-10 100 1000}
seconds=${BENCH_SECONDS:-10}
smoke=0
case "${1:-}" in
  "") ;;
  --smoke) smoke=1; ns=10; seconds=2 ;;
  -h|--help) sed -n "2,10p" "$0" | sed "s/^# \{0,1\}//"; exit 0 ;;
  *) echo "bench/cluster.sh: unknown option '$1' (usage: bench/cluster.sh [--smoke]; BENCH_NS, BENCH_SECONDS)" >&2; exit 2 ;;
esac
if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  ./mvnw -B -q -pl server,bench -am package -DskipTests >&2
fi
redis=$(command -v redis-server || echo /usr/bin/redis-server)
[ -x "$redis" ] || { echo "bench/cluster.sh: redis-server not installed (bash .ci/setup)" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# The servers (Redis and the nodes) share core 0, the load generator gets core 1, as bench/run.sh.
server_pin=(taskset -c "${BENCH_SERVER_CPU:-0}"); client_pin=(taskset -c "${BENCH_CLIENT_CPU:-1}")
command -v taskset >/dev/null || { server_pin=(); client_pin=(); }
out="$root/bench/results/cluster"
[ "$smoke" = 1 ] && out="$root/bench/target/cluster-smoke"
mkdir -p "$out"; : > "$out/results.jsonl"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
rport=$(free_port)
"${server_pin[@]}" "$redis" --port "$rport" --bind 127.0.0.1 --save "" --appendonly no --logfile "$out/redis.log" &
pids+=($!)
start_node() { # PORT [cluster]: starts a node, waits for its "listening on" line
  local port=$1 log="$out/node-$1.log"; shift
  "${server_pin[@]}" "$java" --enable-native-access=ALL-UNNAMED -Xmx1g -jar server/target/loomchat-server.jar \
    --port "$port" --msg-rate 0 --exempt-loopback --stats-interval 0 --max-rooms 1000 --data none "$@" > "$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do grep -q '^listening on' "$log" && return 0; sleep 0.1; done
  echo "node on $port did not start; see $log" >&2; exit 1
}
p0=$(free_port); start_node "$p0"
p1=$(free_port); start_node "$p1" --cluster "redis://127.0.0.1:$rport"
p2=$(free_port); start_node "$p2" --cluster "redis://127.0.0.1:$rport"
for n in $ns; do
  for setup in "single:$p0" "cluster-1-node:$p1" "cluster-2-nodes:$p1,$p2"; do
    name=${setup%%:*}; ports=${setup#*:}
    line=$("${client_pin[@]}" "$java" -Xmx2g -cp bench/target/benchmarks.jar dev.loomchat.bench.Main room \
      --port "$ports" --n "$n" --duration "$seconds" --warmup 2)
    echo "{\"setup\":\"$name\",\"n\":$n,\"result\":$line}" | tee -a "$out/results.jsonl"
  done
done
md="$root/BENCHMARKS.md"
[ "$smoke" = 1 ] && md=none
python3 - "$out/results.jsonl" "$md" "$seconds" <<'PY'
import json, sys, datetime
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
t = ["<!-- cluster:begin -->",
     f"Run of {datetime.date.today()}: `bench/cluster.sh`, {sys.argv[3]} s per row; servers (Redis, nodes) on core 0, "
     "load generator on core 1.", "",
     "| setup | N | deliveries/s | says/s | p50 ms | p99 ms | lost | order violations | errors |",
     "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
for r in rows:
    x = r["result"]
    t.append(f"| {r['setup']} | {r['n']} | {x['deliveries_per_s']:.0f} | {x['says_per_s']:.0f} | {x['p50_ms']:.2f} | "
             f"{x['p99_ms']:.2f} | {x['lost']} | {x['order_violations']} | {x['errors']} |")
t.append("<!-- cluster:end -->")
if sys.argv[2] == "none":  # --smoke: a harness check, printed only
    print("Smoke run, not a result. " + "\n".join(t[1:-1]))
    sys.exit(0)
doc = open(sys.argv[2]).read()
b, e = doc.find("<!-- cluster:begin -->"), doc.find("<!-- cluster:end -->")
if b < 0 or e < 0:
    sys.exit("BENCHMARKS.md has no cluster:begin/end markers")
open(sys.argv[2], "w").write(doc[:b] + "\n".join(t) + doc[e + len("<!-- cluster:end -->"):])
print("\n".join(t))
PY
