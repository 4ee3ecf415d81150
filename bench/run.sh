#!/usr/bin/env bash
# The whole loomchat comparison benchmark, one command (run it alone on an idle machine):
#   bench/run.sh                 full matrix (~10-15 min): echo N=10..10000, room N=10..1000, hold 19000, churn
#   bench/run.sh --smoke         a tiny matrix that only checks the harness (~3 min)
#   bench/run.sh --jfr           also record the room scenario on loomchat-vt with JFR and report it
#   bench/run.sh --help          every option (servers: loomchat-vt, loomchat-platform, netty,
#                                netty-flush-each, python, nats)
# Installs what the peer servers need (bench/setup.sh: nats-server, as root), builds the server and
# bench jars, then runs the load generator pinned to core 1 (taskset -c 1); the runner starts each
# server pinned to core 0 and stops it by its PID. Writes BENCHMARKS.md (between the
# bench:begin/end markers), bench/results/bench.png and bench/results/latest/.
# Exit status: 0 every row ran, 1 a server did not start or a row had no working connection, 2 bad options.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
for arg in "$@"; do
  case "$arg" in
    -h|--help)  # only print the options: no set-up, and no build if the jar is there
      BENCH_SKIP_SETUP=1
      [ -f "$root/bench/target/benchmarks.jar" ] && BENCH_SKIP_BUILD=1 ;;
  esac
done
if [ "${BENCH_SKIP_SETUP:-}" != 1 ]; then
  # A missing peer is not fatal here: its rows say so, and the run exits 1 at the end.
  bash "$root/bench/setup.sh" || true
fi
JAVA_HOME=$("$root/loomchat" java-home)
export JAVA_HOME
if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  ./mvnw -B -q -pl server,bench -am package -DskipTests >&2
fi
pin=(taskset -c "${BENCH_CLIENT_CPU:-1}")
command -v taskset >/dev/null || pin=()
exec "${pin[@]}" "$JAVA_HOME/bin/java" -Xms512m -Xmx2g -XX:+UseParallelGC \
  -cp "$root/bench/target/benchmarks.jar" dev.loomchat.bench.Main run --root "$root" "$@"
