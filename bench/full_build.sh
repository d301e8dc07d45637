#!/usr/bin/env bash
# Whole-site build benchmark: Gazette against Hugo on the shared benchmark corpus,
# measured the way shared/bench/PEERS.md measured Hugo and Zola (its table A):
# output on tmpfs (/dev/shm), deleted before every run by hyperfine --prepare
# (the delete is not timed), --warmup 1 --runs 5, then 3 runs of
# /usr/bin/time -v per tool and size for peak RSS and user+sys (median of 3).
#
#   bash bench/full_build.sh                    # 1000 and 10000 pages
#   SIZES="1000" RUNS=3 bash bench/full_build.sh
#   SIZES="10000 100000" bash bench/full_build.sh   # by hand: the 100k size
#                                    # takes ~30 min (RUNS_LARGE=3 runs at 100k)
#
# Both tools build corpora made by gen_corpus.py with the same seed and size:
# the hugo flavor for Hugo, the neutral flavor converted by corpus_to_site.py
# for Gazette (same entities, same bodies). Zola is not installed here; its
# PEERS.md figures are context, not a same-run comparison.
#
# Needs python3, cargo, hyperfine, hugo and GNU time; hyperfine and hugo are
# installed with apt-get when missing. Writes hyperfine JSON, time -v logs,
# Gazette's stage timings and a summary to bench/results/<date>/, and the
# summary also to bench/results/<date>.md.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
SIZES=${SIZES:-"1000 10000"}
RUNS=${RUNS:-5}
RUNS_LARGE=${RUNS_LARGE:-3}   # runs at 100,000 pages and more
RSS_RUNS=${RSS_RUNS:-3}
SEED=${SEED:-42}
GEN=${GEN_CORPUS:-}
if [ -z "$GEN" ]; then
  for g in "$REPO/../shared/bench/gen_corpus.py" /work/shared/bench/gen_corpus.py; do
    if [ -f "$g" ]; then GEN=$g; break; fi
  done
fi
[ -n "$GEN" ] && [ -f "$GEN" ] || { echo "gen_corpus.py not found; set GEN_CORPUS" >&2; exit 2; }
WORK=${WORK:-/tmp/gazette-bench}          # corpora (kept between runs)
OUTBASE=${OUTBASE:-/dev/shm/gazette-bench-out}
DATE=$(date +%F)
RESULTS=${RESULTS:-$HERE/results/$DATE}
SUMMARY=${SUMMARY:-$HERE/results/$DATE.md}

missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v hugo >/dev/null || missing+=(hugo)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi

GAZETTE=${GAZETTE:-}
if [ -z "$GAZETTE" ] && [ "${SUMMARY_ONLY:-0}" != 1 ]; then
  (cd "$REPO" && cargo build --release --quiet)
  GAZETTE=$REPO/target/release/gazette
fi
mkdir -p "$RESULTS"
if [ "${SUMMARY_ONLY:-0}" != 1 ]; then  # SUMMARY_ONLY=1 RESULTS=dir: only rewrite the summary
  mkdir -p "$WORK" "$OUTBASE"
  cut -d' ' -f1-3 /proc/loadavg > "$RESULTS/loadavg-before.txt"

  for n in $SIZES; do
    if [ ! -d "$WORK/gazette-$n" ] || [ "${REGEN:-0}" = 1 ]; then
      python3 "$GEN" --flavor neutral --pages "$n" --seed "$SEED" --out "$WORK/corpus-neutral-$n" --force
      python3 "$HERE/corpus_to_site.py" "$WORK/corpus-neutral-$n" "$WORK/gazette-$n" --force
      python3 "$GEN" --flavor hugo --pages "$n" --seed "$SEED" --out "$WORK/corpus-hugo-$n" --force
    fi
    "$GAZETTE" --root "$WORK/gazette-$n" check --color never
  done

  for n in $SIZES; do
    G_OUT=$OUTBASE/gazette-$n; H_OUT=$OUTBASE/hugo-$n
    G_CMD="$GAZETTE --root $WORK/gazette-$n build --output $G_OUT --color never"
    H_CMD="hugo --quiet -s $WORK/corpus-hugo-$n -d $H_OUT"
    runs=$RUNS; [ "$n" -ge 100000 ] && runs=$RUNS_LARGE
    hyperfine --warmup 1 --runs "$runs" --export-json "$RESULTS/hyperfine-$n.json" \
      -n "gazette-$n" --prepare "rm -rf $G_OUT" "$G_CMD" \
      -n "hugo-$n" --prepare "rm -rf $H_OUT" "$H_CMD"
    for i in $(seq 1 "$RSS_RUNS"); do
      for tool in gazette hugo; do
        if [ $tool = gazette ]; then cmd=$G_CMD; else cmd=$H_CMD; fi
        rm -rf "$OUTBASE/$tool-$n"
        # Gazette prints its stage timings on stderr; time -v appends its report.
        /usr/bin/time -v bash -c "exec $cmd" 2> "$RESULTS/time-$tool-$n-$i.txt" > /dev/null
        # Keep Gazette's summary and stage lines and time's report, not the
        # corpus's thousands of warnings (tens of MB at 100k).
        awk '/^warning: /{w++} /^[0-9]+ errors|^built |^ok: /{print} /^\tCommand being timed/{t=1}
             t{print} END{if (w) print "[" w " warnings printed on stderr, left out of this file]"}' \
          "$RESULTS/time-$tool-$n-$i.txt" > "$RESULTS/time.tmp" && mv "$RESULTS/time.tmp" "$RESULTS/time-$tool-$n-$i.txt"
      done
    done
    {
      echo "gazette-$n: $(find "$G_OUT" -type f | wc -l) files, $(find "$G_OUT" -name index.html | wc -l) index.html, $(du -sm --apparent-size "$G_OUT" | cut -f1) MiB"
      echo "hugo-$n: $(find "$H_OUT" -type f | wc -l) files, $(find "$H_OUT" -name index.html | wc -l) index.html, $(du -sm --apparent-size "$H_OUT" | cut -f1) MiB"
    } | tee "$RESULTS/output-$n.txt"
  done

  cut -d' ' -f1-3 /proc/loadavg > "$RESULTS/loadavg-after.txt"

  if [ "${STAGES:-1}" = 1 ]; then
    # Millisecond stage timings and render time by page type (benches/stages.rs).
    # At 100k and more only with STAGES_LARGE=1: RUNS more builds each.
    sites=(); for n in $SIZES; do
      if [ "$n" -lt 100000 ] || [ "${STAGES_LARGE:-0}" = 1 ]; then sites+=("$WORK/gazette-$n"); fi
    done
    [ ${#sites[@]} -gt 0 ] && (cd "$REPO" && RUNS=$RUNS cargo bench --quiet --bench stages -- "${sites[@]}") > "$RESULTS/stages.md"
  fi
  rm -rf "$OUTBASE"
fi

{
  echo "# Full build: Gazette and Hugo, $DATE"
  echo
  echo "Same run, same machine, output on tmpfs (\`/dev/shm\`, deleted before each run and not timed)."
  echo "Method of shared/bench/PEERS.md table A: hyperfine --warmup 1 --runs $RUNS; peak RSS and user+sys"
  echo "are the median of $RSS_RUNS \`/usr/bin/time -v\` runs. Corpus: gen_corpus.py --seed $SEED."
  echo
  echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB"
  commit=${GAZETTE_COMMIT:-$(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null || echo '?')}
  dirty=""  # GAZETTE_COMMIT names a clean export; otherwise look at the work tree
  [ -n "${GAZETTE_COMMIT:-}" ] || dirty=$(cd "$REPO" && git status --porcelain -- src themes build.rs 2>/dev/null | head -1 || true)
  echo "- gazette: $("$GAZETTE" --version 2>/dev/null || echo '?'), commit $commit${dirty:+ (with uncommitted changes)}"
  echo "- load average (1, 5, 15 min) before / after the hyperfine and time runs: $(cat "$RESULTS/loadavg-before.txt" 2>/dev/null) / $(cat "$RESULTS/loadavg-after.txt" 2>/dev/null)"
  echo "- $(hugo version | cut -d' ' -f1-2); $(hyperfine --version)"
  echo
  python3 - "$RESULTS" $SIZES <<'EOF'
import glob, json, re, statistics as st, sys
res, sizes = sys.argv[1], sys.argv[2:]
grab = lambda pat, txt: float(re.search(pat, txt).group(1))
def wall(t):  # "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:04.12"
    parts = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", t).group(1).split(":")
    return sum(float(x) * 60 ** i for i, x in enumerate(reversed(parts)))
print("| tool | pages | median wall (s) | wall min-max (s) | mean user+sys (s, hyperfine) "
      "| median user+sys (s, time -v) | median peak RSS (MiB) | gazette/hugo (median wall) "
      "| median wall (s, time -v) | gazette/hugo (time -v) |")
print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|")
for n in sizes:
    rs = json.load(open(f"{res}/hyperfine-{n}.json"))["results"]
    med = {r["command"].split("-")[0]: r["median"] for r in rs}
    logs = {r["command"].split("-")[0]: [open(f).read() for f in sorted(glob.glob(
        f"{res}/time-{r['command'].split('-')[0]}-{n}-*.txt"))] for r in rs}
    twall = {tool: st.median(wall(t) for t in ls) for tool, ls in logs.items()}
    for r in rs:
        tool = r["command"].split("-")[0]
        cpu = [grab(r"User time \(seconds\): ([\d.]+)", t) + grab(r"System time \(seconds\): ([\d.]+)", t) for t in logs[tool]]
        rss = [grab(r"Maximum resident set size \(kbytes\): (\d+)", t) for t in logs[tool]]
        ratio = f"{med['gazette'] / med['hugo']:.2f}" if tool == "gazette" else ""
        tratio = f"{twall['gazette'] / twall['hugo']:.2f}" if tool == "gazette" else ""
        print(f"| {tool} | {n} | {r['median']:.3f} | {r['min']:.3f}-{r['max']:.3f} | {r['user'] + r['system']:.3f} "
              f"| {st.median(cpu):.3f} | {st.median(rss) / 1024:.0f} | {ratio} | {twall[tool]:.3f} | {tratio} |")
print()
print("hyperfine runs all of one tool, then all of the other; the `time -v` runs alternate the two tools,")
print("so their ratio is less exposed to a change of background load during the run.")
print()
print("Output:")
print()
for n in sizes:
    for line in open(f"{res}/output-{n}.txt"):
        print(f"- {line.strip()}")
print()
print("Gazette's own stage timings (`time -v` runs, as printed on stderr):")
print()
for n in sizes:
    for f in sorted(glob.glob(f"{res}/time-gazette-{n}-*.txt")):
        for line in open(f):
            if line.startswith("built "):
                print(f"- {n}: `{line.strip()}`")
EOF
  if [ -f "$RESULTS/stages.md" ]; then
    echo
    echo "## Gazette stages (\`cargo bench --bench stages\`, median of $RUNS builds)"
    sed "s|$WORK/||" "$RESULTS/stages.md"
  fi
  echo
  echo "Zola is not installed on this machine, so it is not in this run. For context only (another"
  echo "day, not comparable as a ratio): PEERS.md table A gives zola 0.22.1 3.895 s median wall and"
  echo "776 MiB peak RSS at 10000 pages, hugo 0.111.3 5.138 s and 1174 MiB, on its machine."
} | tee "$SUMMARY"
cp "$SUMMARY" "$RESULTS/summary.md"
