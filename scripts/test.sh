#!/usr/bin/env bash
# The one command that runs every test of this repository, on a developer's machine or in CI (.ci/run, CI=true,
# no stdin), on a fresh Debian with the .NET SDK:
#   1. installs what the tests need and is missing (mosquitto, mosquitto-clients, openssl; chromium,
#      chromium-driver and a font for the App Builder page's browser tests; strace to see the mode files are created with), leaving the packaged mosquitto service
#      stopped: the tests start brokers of their own;
#   2. builds the portable core against the device's mscorlib (Host/IotyDevice.Core.Nano, warnings are errors);
#   3. runs each test project that exists (Firmware.Tests, Board.Tests, Broker.Tests, Simulator.Tests);
#   4. ends with one line "N passed, N failed[, N skipped]" over all of it, and exits non-zero on any failure.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DEBIAN_FRONTEND=noninteractive

RESULTS="$ROOT/TestResults/test-sh"
STARTED=$(date +%s)

say() { printf '\n=== %s\n' "$*"; }

# ---- 1. system packages ------------------------------------------------------------------------------------

# shellcheck source=install-deps.sh
source "$ROOT/scripts/install-deps.sh"
ensure_packages mosquitto mosquitto-clients openssl chromium chromium-driver fonts-dejavu-core strace
stop_packaged_mosquitto

if ! command -v dotnet >/dev/null 2>&1; then
    echo "dotnet (the .NET SDK) is not on PATH" >&2
    exit 1
fi

# ---- 2. the core against the device's mscorlib ---------------------------------------------------------------

passed=0
failed=0
skipped=0
summary=()

say "nano-compat build: Firmware/Core against nanoFramework.CoreLibrary's mscorlib"
t0=$(date +%s)
if dotnet build Host/IotyDevice.Core.Nano -warnaserror -nologo -v:q -clp:NoSummary; then
    summary+=("nano-compat build: ok ($(( $(date +%s) - t0 ))s)")
else
    failed=$((failed + 1))
    summary+=("nano-compat build: FAILED — the core uses something the device's mscorlib lacks (see errors above)")
fi

# ---- 3. test projects ----------------------------------------------------------------------------------------

counter() { # counter NAME TRX -> value of attribute NAME of <Counters> (0 when absent)
    local value
    value=$(grep -o "<Counters [^>]*" "$2" | grep -o " $1=\"[0-9]*\"" | head -n1 | grep -o '[0-9]\+' || true)
    echo "${value:-0}"
}

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
ran_any=false
for project in Firmware.Tests Board.Tests Broker.Tests Simulator.Tests; do
    csproj="$project/$project.csproj"
    [ -f "$csproj" ] || continue
    ran_any=true
    say "dotnet test $project"
    t0=$(date +%s)
    code=0
    dotnet test "$csproj" -nologo \
        --logger "trx;LogFileName=$project.trx" \
        --logger "console;verbosity=normal" \
        --results-directory "$RESULTS" \
        --blame-hang-timeout 10m </dev/null || code=$?
    seconds=$(( $(date +%s) - t0 ))
    trx="$RESULTS/$project.trx"
    if [ -f "$trx" ]; then
        p=$(counter passed "$trx")
        f=$(( $(counter failed "$trx") + $(counter error "$trx") + $(counter timeout "$trx") + $(counter aborted "$trx") ))
        s=$(counter notExecuted "$trx")
        if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then
            f=1 # the run failed without a failed test (crashed test host, hang): count it
            summary+=("$project: $p passed, test run FAILED (exit $code) without a failed test — crash or hang? (${seconds}s)")
        else
            summary+=("$project: $p passed, $f failed, $s skipped (${seconds}s)")
        fi
        passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    else
        failed=$((failed + 1))
        summary+=("$project: no results (exit $code) — it did not build or the test host did not start (${seconds}s)")
    fi
done
if [ "$ran_any" = false ]; then
    failed=$((failed + 1))
    summary+=("no test project found")
fi

# ---- 4. summary ------------------------------------------------------------------------------------------------

say "summary ($(( $(date +%s) - STARTED ))s; trx files in ${RESULTS#"$ROOT"/})"
for line in "${summary[@]}"; do
    echo "  $line"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
