#!/usr/bin/env bash
# Installs what the benchmark's peer servers need (idempotent): nats-server (Debian's package) for the
# `nats` row, python3 for the `python` row, taskset (util-linux) for pinning. As root on Debian/Ubuntu it
# runs apt-get; otherwise it names what is missing in one line and exits 1. bench/run.sh calls it.
set -euo pipefail
need=()
command -v nats-server >/dev/null 2>&1 || [ -x /usr/bin/nats-server ] || [ -x /usr/sbin/nats-server ] || need+=(nats-server)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v taskset >/dev/null 2>&1 || need+=(util-linux)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "bench/setup.sh: installing ${need[*]} (apt-get)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "bench/setup.sh: missing ${need[*]}; install it (Debian/Ubuntu: sudo apt-get install -y ${need[*]}) or leave those servers out (--servers)" >&2
  exit 1
fi
