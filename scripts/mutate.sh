#!/usr/bin/env bash
# The mutation score of the core (issue 22): how many deliberate small bugs in Firmware/Core the unit tests catch.
#   1. installs Stryker.NET (dotnet-stryker 5.1.0) into .tools/stryker if it is not there yet (ignored by git);
#   2. runs it from Firmware.Tests/ on Host/IotyDevice.Core (the core's files as .NET builds them), with
#      Firmware.Tests and Board.Tests as the test projects;
#   3. writes MUTATION.md from Stryker's JSON report: the score, killed / survived / timeout / no coverage, the score
#      per file worst first, and every surviving mutant (file:line, the mutation) with a column saying whether it is
#      an equivalent one (why), a string no learner reads, or what behaviour it shows is untested; that column comes
#      from scripts/mutation-notes.tsv, where a maintainer judges each survivor once;
#   4. prints how long it took.
# The whole core takes ~45 minutes on 2 cores (about 2,100 mutants), so it is not part of .ci/run.
# `bash scripts/mutate.sh --rewrite` only writes MUTATION.md again from the last run's report (after judging
# survivors in scripts/mutation-notes.tsv), without running Stryker.
# Other arguments go to Stryker; `--mutate GLOB` (repeatable) limits the run to some files, e.g.
#   bash scripts/mutate.sh --mutate '**/Core/Connection/Backoff.cs'
# and MUTATION.md then says at its top which files it covers.
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
STARTED=$(date +%s)

if ! command -v dotnet >/dev/null 2>&1; then
    echo "dotnet (the .NET SDK) is not on PATH" >&2
    exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "python3 is needed to turn Stryker's JSON report into MUTATION.md; install it (apt-get install python3)" >&2
    exit 1
fi

REPORT="$OUT/reports/mutation-report.json"
RUN_INFO="$OUT/run.txt" # scope, seconds taken, when it ended, the commit it ran on: what --rewrite needs

# Runs Stryker with the given arguments and leaves the report and $RUN_INFO in $OUT.
run_stryker() {
    if ! "$TOOLS/dotnet-stryker" --version 2>/dev/null | grep -q "$STRYKER_VERSION"; then
        printf '\n=== %s\n' "dotnet tool install dotnet-stryker $STRYKER_VERSION (into .tools/stryker)"
        rm -rf "$TOOLS"
        dotnet tool install dotnet-stryker --version "$STRYKER_VERSION" --tool-path "$TOOLS"
    fi

    local mutate=()
    scope="all of Firmware/Core"
    args=("$@")
    for ((i = 0; i < ${#args[@]}; i++)); do
        if [ "${args[$i]}" = "--mutate" ] || [ "${args[$i]}" = "-m" ]; then
            mutate+=("${args[$((i + 1))]}")
        fi
    done
    if [ ${#mutate[@]} -gt 0 ]; then
        scope="only the files matching ${mutate[*]} (a partial run: not the core's score)"
    fi

    rm -rf "$OUT"
    printf '\n=== %s\n' "Stryker on Firmware/Core ($scope)"
    # Stryker must run from a test project's folder; the core is found among its project references.
    (cd Firmware.Tests && "$TOOLS/dotnet-stryker" \
        --project IotyDevice.Core.csproj \
        --test-project Firmware.Tests.csproj \
        --test-project ../Board.Tests/Board.Tests.csproj \
        --reporter json --reporter progress \
        --output "$OUT" \
        --skip-version-check \
        "$@")

    if [ ! -f "$REPORT" ]; then
        echo "Stryker wrote no JSON report ($REPORT); see its output above" >&2
        exit 1
    fi

    ELAPSED=$(($(date +%s) - STARTED))
    ENDED=$(date -u '+%Y-%m-%d %H:%M UTC')
    COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")
    if [ -n "$(git status --porcelain -- Firmware Firmware.Tests Board.Tests 2>/dev/null)" ]; then
        COMMIT="$COMMIT with uncommitted changes"
    fi
    printf '%s\n%s\n%s\n%s\n' "$scope" "$ELAPSED" "$ENDED" "$COMMIT" > "$RUN_INFO"
}

if [ "${1:-}" = "--rewrite" ]; then
    if [ ! -f "$REPORT" ] || [ ! -f "$RUN_INFO" ]; then
        echo "no earlier run to rewrite MUTATION.md from ($REPORT); run bash scripts/mutate.sh first" >&2
        exit 1
    fi
else
    run_stryker "$@"
fi
mapfile -t run < "$RUN_INFO"
scope=${run[0]}; ELAPSED=${run[1]}; ENDED=${run[2]}; COMMIT=${run[3]}

python3 - "$REPORT" "$ROOT/MUTATION.md" "$scope" "$ELAPSED" "$STRYKER_VERSION" "$ENDED" "$COMMIT" <<'PY'
import json, os, sys, platform

report_path, out_path, scope, elapsed, version, ended, commit = sys.argv[1:8]
elapsed = int(elapsed)
root = os.path.dirname(os.path.abspath(out_path))

# Surviving mutants already judged, from scripts/mutation-notes.tsv (tab-separated: file, original line, mutated
# text, verdict, why). Verdicts: "equivalent" (no behaviour can tell it apart: left out of the judged score),
# "unread" (a string literal no learner relies on: left out of the judged score), "untested" (a behaviour without a
# test: counts against both scores). A maintainer adds a line per survivor judged.
NOTES = {}
notes_path = os.path.join(root, "scripts", "mutation-notes.tsv")
with open(notes_path, encoding="utf-8") as f:
    for number, raw in enumerate(f, 1):
        if raw.startswith("#") or not raw.strip():
            continue
        parts = raw.rstrip("\n").split("\t")
        if len(parts) != 5 or parts[3] not in ("equivalent", "unread", "untested"):
            sys.exit("%s:%d: want 5 tab-separated fields (file, original line, mutated text, verdict "
                     "equivalent|unread|untested, why)" % (notes_path, number))
        NOTES[(parts[0], parts[1], parts[2])] = (parts[3], parts[4])

with open(report_path, encoding="utf-8") as f:
    report = json.load(f)

def rel(path):
    p = os.path.relpath(os.path.realpath(path), root) if os.path.isabs(path) else path
    return p.replace(os.sep, "/")

counts = {}
per_file = []
survivors = []
for path, data in report.get("files", {}).items():
    name = rel(path)
    source = data.get("source", "").splitlines()
    c = {}
    for m in data.get("mutants", []):
        status = m.get("status", "")
        c[status] = c.get(status, 0) + 1
        counts[status] = counts.get(status, 0) + 1
        if status == "Survived" or status == "NoCoverage":
            loc = m.get("location", {}).get("start", {})
            line = loc.get("line", 0)
            original = source[line - 1].strip() if 0 < line <= len(source) else ""
            verdict, why = NOTES.get((name, original, m.get("replacement", "")), ("", ""))
            if verdict in ("equivalent", "unread"):
                c["Judged"] = c.get("Judged", 0) + 1
                counts["Judged"] = counts.get("Judged", 0) + 1
            survivors.append((name, line, status, m.get("mutatorName", ""), m.get("replacement", ""), original,
                              verdict + (": " + why if why else "") if verdict else ""))
    per_file.append((name, c))

def score(c, judged=False):
    killed = c.get("Killed", 0) + c.get("Timeout", 0)
    valid = killed + c.get("Survived", 0) + c.get("NoCoverage", 0) - (c.get("Judged", 0) if judged else 0)
    return (100.0 * killed / valid) if valid else None

def cell(text):
    return text.replace("|", "\\|").replace("\n", " ")[:160]

total = score(counts)
lines = []
lines.append("# Mutation score of Firmware/Core")
lines.append("")
lines.append("Written by `bash scripts/mutate.sh` (Stryker.NET " + version + ", the unit tests of Firmware.Tests and Board.Tests) from a run"
             + " on commit " + commit + " that ended " + ended + " on " + platform.node() + " with " + str(os.cpu_count())
             + " cores; the run took " + str(elapsed // 60) + " min " + str(elapsed % 60) + " s.")
lines.append("")
lines.append("**Covers " + scope + ".**")
lines.append("")
judged_total = score(counts, True)
lines.append("Score: **" + ("%.1f %%" % total if total is not None else "n/a") + "** (Stryker's: killed + timeout over killed + timeout + survived + no coverage)")
lines.append("")
lines.append("Judged score: **" + ("%.1f %%" % judged_total if judged_total is not None else "n/a") + "** (the same without the "
             + str(counts.get("Judged", 0)) + " survivors judged equivalent or unread below: mutants no behaviour can tell apart, and string"
             + " literals no learner relies on)")
lines.append("")
lines.append("| killed | timeout | survived | no coverage | compile error | ignored |")
lines.append("|---|---|---|---|---|---|")
lines.append("| %d | %d | %d | %d | %d | %d |" % (counts.get("Killed", 0), counts.get("Timeout", 0), counts.get("Survived", 0),
             counts.get("NoCoverage", 0), counts.get("CompileError", 0), counts.get("Ignored", 0)))
lines.append("")
lines.append("## Score per file, worst first")
lines.append("")
lines.append("| file | score | judged | killed | timeout | survived | no coverage |")
lines.append("|---|---|---|---|---|---|---|")
ranked = sorted((p for p in per_file if score(p[1]) is not None), key=lambda p: (score(p[1]), p[0]))
for name, c in ranked:
    judged = score(c, True)
    lines.append("| %s | %.1f %% | %s | %d | %d | %d | %d |" % (name, score(c), "%.1f %%" % judged if judged is not None else "n/a",
                 c.get("Killed", 0), c.get("Timeout", 0), c.get("Survived", 0), c.get("NoCoverage", 0)))
lines.append("")
lines.append("## Surviving mutants")
lines.append("")
lines.append("Each is a change to the core that no test noticed: an equivalent mutant (why no behaviour can tell it apart), a")
lines.append("string literal no learner relies on, or a behaviour without a test (which). The last column comes from")
lines.append("`scripts/mutation-notes.tsv`; an empty one is a survivor nobody has judged yet.")
lines.append("")
lines.append("| where | status | mutation | original line | equivalent? why / what behaviour is untested |")
lines.append("|---|---|---|---|---|")
for name, line, status, mutator, replacement, original, note in sorted(survivors):
    lines.append("| %s:%d | %s | %s: `%s` | `%s` | %s |" % (name, line, status, mutator, cell(replacement), cell(original), note))
if not survivors:
    lines.append("| (none) | | | | |")
lines.append("")

with open(out_path, "w", encoding="utf-8") as f:
    f.write("\n".join(lines))
print("score %s (judged %s); %d surviving or uncovered mutants, %d of them judged equivalent or unread; MUTATION.md written" %
      ("%.1f %%" % total if total is not None else "n/a", "%.1f %%" % judged_total if judged_total is not None else "n/a",
       len(survivors), counts.get("Judged", 0)))
PY

if [ "${1:-}" != "--rewrite" ]; then
    printf '\nmutate.sh took %d min %d s (%s)\n' $((ELAPSED / 60)) $((ELAPSED % 60)) "$scope"
fi
