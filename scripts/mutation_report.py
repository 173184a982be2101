"""MUTATION.md from Stryker's JSON report, for scripts/mutate.sh (read that first).

Each core file's latest result is kept in STATE/files.json with the run it comes from (STATE/runs.json): a
whole-core run replaces them all, a run limited with --mutate only its own files. MUTATION.md is written from that.
"""
import json
import os
import platform
import sys

root, state, report_path, rewrite, partial, elapsed, ended, commit, version, args = sys.argv[1:11]
files_path = os.path.join(state, "files.json")
runs_path = os.path.join(state, "runs.json")


def load(path, empty):
    if not os.path.exists(path):
        return empty
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def rel(path):
    """Firmware/... as in the repository, wherever the checkout that ran Stryker was."""
    p = path.replace(os.sep, "/")
    at = p.rfind("/Firmware/")
    return p[at + 1:] if at >= 0 else p


files = load(files_path, {})
runs = load(runs_path, [])

if rewrite == "no":
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    run = {"commit": commit, "ended": ended, "seconds": int(elapsed), "whole": partial == "no", "args": args}
    if run["whole"]:
        files, runs = {}, []
    runs.append(run)
    number = len(runs) - 1
    for path, data in report.get("files", {}).items():
        if data.get("mutants"):
            files[rel(path)] = {"run": number, "source": data.get("source", ""), "mutants": data["mutants"]}
    with open(files_path, "w", encoding="utf-8") as f:
        json.dump(files, f)
    with open(runs_path, "w", encoding="utf-8") as f:
        json.dump(runs, f, indent=1)

# A file deleted since its run has no score any more.
files = {name: data for name, data in files.items() if os.path.exists(os.path.join(root, name))}

# Surviving mutants already judged, from scripts/mutation-notes.tsv (tab-separated: file, original line, mutated
# text, verdict, why). "equivalent" (no behaviour can tell it apart) and "unread" (a string literal no learner relies
# on) are left out of the judged score; "untested" (a behaviour without a test) counts against both scores.
notes = {}
notes_path = os.path.join(root, "scripts", "mutation-notes.tsv")
with open(notes_path, encoding="utf-8") as f:
    for number, raw in enumerate(f, 1):
        if raw.startswith("#") or not raw.strip():
            continue
        parts = raw.rstrip("\n").split("\t")
        if len(parts) != 5 or parts[3] not in ("equivalent", "unread", "untested"):
            sys.exit("%s:%d: want 5 tab-separated fields (file, original line, mutated text, verdict "
                     "equivalent|unread|untested, why)" % (notes_path, number))
        notes[(parts[0], parts[1], parts[2])] = (parts[3], parts[4])

counts = {}
per_file = []
survivors = []
for name, data in files.items():
    source = data["source"].splitlines()
    with open(os.path.join(root, name), encoding="utf-8-sig") as f:
        changed = f.read().replace("\r\n", "\n").rstrip() != data["source"].replace("\r\n", "\n").lstrip("\ufeff").rstrip()
    c = {}
    for m in data["mutants"]:
        status = m.get("status", "")
        c[status] = c.get(status, 0) + 1
        counts[status] = counts.get(status, 0) + 1
        if status in ("Survived", "NoCoverage"):
            line = m.get("location", {}).get("start", {}).get("line", 0)
            original = source[line - 1].strip() if 0 < line <= len(source) else ""
            verdict, why = notes.get((name, original, m.get("replacement", "")), ("", ""))
            if verdict in ("equivalent", "unread"):
                c["Judged"] = c.get("Judged", 0) + 1
                counts["Judged"] = counts.get("Judged", 0) + 1
            survivors.append((name, line, status, m.get("mutatorName", ""), m.get("replacement", ""), original,
                              verdict + (": " + why if why else "")))
    per_file.append((name, c, runs[data["run"]]["commit"] + (" (changed since)" if changed else "")))


def score(c, judged=False):
    killed = c.get("Killed", 0) + c.get("Timeout", 0)
    valid = killed + c.get("Survived", 0) + c.get("NoCoverage", 0) - (c.get("Judged", 0) if judged else 0)
    return (100.0 * killed / valid) if valid else None


def percent(value):
    return "%.1f %%" % value if value is not None else "n/a"


def cell(text):
    return text.replace("|", "\\|").replace("\n", " ")[:160]


def took(seconds):
    return "%d min %d s" % (seconds // 60, seconds % 60)


whole = [r for r in runs if r["whole"]]
lines = ["# Mutation score of Firmware/Core", ""]
lines.append("Written by `bash scripts/mutate.sh` (Stryker.NET " + version + ", the unit tests of Firmware.Tests and Board.Tests; "
             + platform.node() + ", " + str(os.cpu_count()) + " cores) from these runs:")
lines.append("")
for r in runs:
    lines.append("- " + ("the whole core" if r["whole"] else "a run limited to `" + r["args"] + "`") + " on commit " + r["commit"]
                 + ", ended " + r["ended"] + ", took " + took(r["seconds"]))
lines.append("")
if not whole:
    lines.append("**Only the files below were mutated: this is not the core's score.**")
    lines.append("")
total = score(counts)
judged_total = score(counts, True)
lines.append("Score: **" + percent(total) + "** (Stryker's: killed + timeout over killed + timeout + survived + no coverage)")
lines.append("")
lines.append("Judged score: **" + percent(judged_total) + "** (the same without the " + str(counts.get("Judged", 0))
             + " survivors judged equivalent or unread below: mutants no behaviour can tell apart, and string literals no"
             + " learner relies on)")
lines.append("")
lines.append("| killed | timeout | survived | no coverage | compile error | ignored |")
lines.append("|---|---|---|---|---|---|")
lines.append("| %d | %d | %d | %d | %d | %d |" % (counts.get("Killed", 0), counts.get("Timeout", 0), counts.get("Survived", 0),
             counts.get("NoCoverage", 0), counts.get("CompileError", 0), counts.get("Ignored", 0)))
lines.append("")
lines.append("## Score per file, worst first")
lines.append("")
lines.append("| file | score | judged | killed | timeout | survived | no coverage | from commit |")
lines.append("|---|---|---|---|---|---|---|---|")
ranked = sorted((p for p in per_file if score(p[1]) is not None), key=lambda p: (score(p[1]), p[0]))
for name, c, source in ranked:
    lines.append("| %s | %s | %s | %d | %d | %d | %d | %s |" % (name, percent(score(c)), percent(score(c, True)),
                 c.get("Killed", 0), c.get("Timeout", 0), c.get("Survived", 0), c.get("NoCoverage", 0), source))
lines.append("")
lines.append("## Surviving mutants")
lines.append("")
lines.append("Each is a change to the core that no test noticed: an equivalent mutant (why no behaviour can tell it apart), a")
lines.append("string literal no learner relies on, or a behaviour without a test (which). The last column comes from")
lines.append("`scripts/mutation-notes.tsv`; an empty one is a survivor nobody has judged yet.")
lines.append("")
lines.append("| where | status | mutation | original line | judged |")
lines.append("|---|---|---|---|---|")
for name, line, status, mutator, replacement, original, note in sorted(survivors):
    lines.append("| %s:%d | %s | %s: `%s` | `%s` | %s |" % (name, line, status, mutator, cell(replacement), cell(original), note))
if not survivors:
    lines.append("| (none) | | | | |")
lines.append("")

with open(os.path.join(root, "MUTATION.md"), "w", encoding="utf-8") as f:
    f.write("\n".join(lines))
unjudged = sum(1 for s in survivors if not s[6])
print("score %s (judged %s); %d surviving or uncovered mutants, %d not judged yet; MUTATION.md written"
      % (percent(total), percent(judged_total), len(survivors), unjudged))
