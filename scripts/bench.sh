#!/usr/bin/env bash
# The benchmark command (separate from the tests, which never assert timings):
#   1. installs what it needs and is missing (mosquitto, mosquitto-clients for mosquitto_pub, openssl) exactly as
#      scripts/test.sh does, leaving the packaged mosquitto service stopped;
#   2. builds Benchmarks/ in Release;
#   3. runs every section against real Mosquitto brokers over TLS on 127.0.0.1 (started by the bench), prints the
#      table and writes BENCHMARKS.md at the repository root (with the machine, its load average and the date); section 7
#      puts up to 100 boards (each the real core on its own thread) and 100 bare clients on one broker.
# Bounded: about 1–2 minutes on a 2-core machine; the bench stops itself after 4 minutes and this script kills it at
# 4.5, so the whole command (build included) stays under 5 minutes. It reports timings and never fails on them.
# Extra arguments go to the bench: --quick (fewer samples; writes nothing unless --out is given again), --only N (one
# section; writes nothing). `bash scripts/bench.sh --help` prints the bench's usage line, which lists every section number.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DEBIAN_FRONTEND=noninteractive

STARTED=$(date +%s)

# shellcheck source=install-deps.sh
source "$ROOT/scripts/install-deps.sh"
ensure_packages mosquitto mosquitto-clients openssl
stop_packaged_mosquitto

if ! command -v dotnet >/dev/null 2>&1; then
    echo "dotnet (the .NET SDK) is not on PATH" >&2
    exit 1
fi

printf '\n=== %s\n' "dotnet build Benchmarks (Release)"
dotnet build Benchmarks/IotyDevice.Benchmarks.csproj -c Release -nologo -v:q -clp:NoSummary

out=(--out "$ROOT/BENCHMARKS.md")
for arg in "$@"; do
    if [ "$arg" = "--quick" ]; then out=(); fi
done

printf '\n=== %s\n' "benchmarks"
code=0
timeout --kill-after=10s 270s dotnet Benchmarks/bin/Release/net10.0/IotyDevice.Benchmarks.dll "${out[@]}" "$@" </dev/null || code=$?
echo "bench.sh: $(( $(date +%s) - STARTED )) s in all (exit $code)"
exit "$code"
