#!/usr/bin/env bash
# The whole loomchat comparison benchmark, one command (run it alone on an idle machine):
#   bench/run.sh                 full matrix (~10-15 min): echo N=10..10000, room N=10..1000, hold 19000, churn
#   bench/run.sh --smoke         a tiny matrix that only checks the harness (~2 min)
#   bench/run.sh --jfr           also record the room scenario on loomchat-vt with JFR and report it
#   bench/run.sh --help          every option
# Builds the server and bench jars, then runs the load generator pinned to core 1 (taskset -c 1);
# the runner starts each server pinned to core 0 and stops it by its PID. Writes BENCHMARKS.md
# (between the bench:begin/end markers), bench/results/bench.png and bench/results/latest/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
JAVA_HOME=$("$root/loomchat" java-home)
export JAVA_HOME
if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  ./mvnw -B -q -pl server,bench -am package -DskipTests >&2
fi
pin=(taskset -c "${BENCH_CLIENT_CPU:-1}")
command -v taskset >/dev/null || pin=()
exec "${pin[@]}" "$JAVA_HOME/bin/java" -Xms512m -Xmx2g -XX:+UseParallelGC \
  -cp "$root/bench/target/benchmarks.jar" dev.loomchat.bench.Main run --root "$root" "$@"
