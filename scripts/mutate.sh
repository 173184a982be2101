#!/usr/bin/env bash
# The mutation score of the core (issue 22): how many deliberate small bugs in Firmware/Core the unit tests catch.
#   1. installs Stryker.NET (dotnet-stryker 5.1.0) into .tools/stryker if it is not there yet (ignored by git);
#   2. runs it from Firmware.Tests/ on Host/IotyDevice.Core (the core's files as .NET builds them), with
#      Firmware.Tests and Board.Tests as the test projects;
#   3. keeps each file's result in .tools/mutation/ (a whole-core run replaces them all, a run limited with --mutate
#      only its files) and writes MUTATION.md from them: the score, killed / survived / timeout / no coverage, the
#      score per file worst first with the commit its figures come from (and "changed since" when the file is no
#      longer what was mutated), and every surviving mutant (file:line, the mutation) with a column saying whether it
#      is an equivalent one (why), a string no learner reads, or what behaviour it shows is untested; that column
#      comes from scripts/mutation-notes.tsv, where a maintainer judges each survivor once;
#   4. prints how long it took.
# The whole core takes about 1 hour 20 minutes on 2 cores (about 2,300 mutants tested), so it is not part of .ci/run.
# After a whole-core run, `--mutate GLOB` (repeatable) reruns only some files, e.g. the ones a new test aims at:
#   bash scripts/mutate.sh --mutate '**/Core/Connection/Backoff.cs'
# `bash scripts/mutate.sh --rewrite` only writes MUTATION.md again (after judging survivors), without Stryker.
# Other arguments go to Stryker (e.g. --concurrency 2).
# Build nothing in Firmware.Tests/ or Board.Tests/ while it runs: Stryker swaps the mutated core into their bin
# folders, and a build there puts the real one back (one such trial reported a bogus 25 %).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

STRYKER_VERSION=5.1.0
TOOLS="$ROOT/.tools/stryker"
OUT="$ROOT/.tools/stryker-output"
STATE="$ROOT/.tools/mutation" # each file's latest result and the runs they come from
STARTED=$(date +%s)

if ! command -v dotnet >/dev/null 2>&1; then
    echo "dotnet (the .NET SDK) is not on PATH" >&2
    exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "python3 is needed to turn Stryker's JSON report into MUTATION.md; install it (apt-get install python3)" >&2
    exit 1
fi

rewrite=no
partial=no
for arg in "$@"; do
    case "$arg" in
        --rewrite) rewrite=yes ;;
        --mutate | -m) partial=yes ;;
    esac
done

if [ "$rewrite" = yes ]; then
    if [ ! -f "$STATE/files.json" ]; then
        echo "no earlier run to write MUTATION.md from ($STATE/files.json); run bash scripts/mutate.sh first" >&2
        exit 1
    fi
else
    if ! "$TOOLS/dotnet-stryker" --version 2>/dev/null | grep -q "$STRYKER_VERSION"; then
        printf '\n=== %s\n' "dotnet tool install dotnet-stryker $STRYKER_VERSION (into .tools/stryker)"
        rm -rf "$TOOLS"
        dotnet tool install dotnet-stryker --version "$STRYKER_VERSION" --tool-path "$TOOLS"
    fi

    rm -rf "$OUT"
    printf '\n=== Stryker on Firmware/Core (%s)\n' "$([ "$partial" = yes ] && echo "some files: $*" || echo "all of it")"
    # Stryker must run from a test project's folder; the core is found among its project references.
    (cd Firmware.Tests && "$TOOLS/dotnet-stryker" \
        --project IotyDevice.Core.csproj \
        --test-project Firmware.Tests.csproj \
        --test-project ../Board.Tests/Board.Tests.csproj \
        --reporter json --reporter progress \
        --output "$OUT" \
        --skip-version-check \
        "$@")
    if [ ! -f "$OUT/reports/mutation-report.json" ]; then
        echo "Stryker wrote no JSON report ($OUT/reports/mutation-report.json); see its output above" >&2
        exit 1
    fi
fi

COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo "no git")
if [ -n "$(git status --porcelain -- Firmware Firmware.Tests Board.Tests 2>/dev/null)" ]; then
    COMMIT="$COMMIT+changes"
fi
mkdir -p "$STATE"
python3 "$ROOT/scripts/mutation_report.py" "$ROOT" "$STATE" "$OUT/reports/mutation-report.json" \
    "$rewrite" "$partial" "$(($(date +%s) - STARTED))" "$(date -u '+%Y-%m-%d %H:%M UTC')" "$COMMIT" "$STRYKER_VERSION" "$*"

if [ "$rewrite" = no ]; then
    ELAPSED=$(($(date +%s) - STARTED))
    printf '\nmutate.sh took %d min %d s\n' $((ELAPSED / 60)) $((ELAPSED % 60))
fi
