#!/usr/bin/env bash
# The cost of a second language, measured in one run: the 10,000-page
# benchmark corpus (gen_corpus.py --flavor neutral, converted by
# corpus_to_site.py) built three ways with the same release binary:
#   one      `language: en` (as bench/full_build.sh builds it)
#   empty    `languages: {default: en, others: [mn]}`, no translation file:
#            every /mn/ page shows the English record with its notice
#   full     the same, with a translation (`x.mn.md`: title and body) for
#            every record
# hyperfine --warmup 1 --runs $RUNS, output on tmpfs, deleted before each
# run (not timed); then /usr/bin/time -v for peak RSS (median of 3).
#
#   bash bench/languages.sh            # 10000 pages, 5 runs
#   PAGES=1000 RUNS=3 bash bench/languages.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
PAGES=${PAGES:-10000}
RUNS=${RUNS:-5}
SEED=${SEED:-42}
GEN=${GEN_CORPUS:-/work/shared/bench/gen_corpus.py}
WORK=${WORK:-/tmp/gazette-bench-lang}
OUT=${OUT:-/dev/shm/gazette-bench-lang}
RESULTS=${RESULTS:-$HERE/results/languages-$(date +%F).md}
GAZETTE=${GAZETTE:-$REPO/target/release/gazette}
[ -x "$GAZETTE" ] || (cd "$REPO" && cargo build --release --locked)
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }

base=$WORK/one
if [ ! -d "$base" ]; then
  python3 "$GEN" --flavor neutral --pages "$PAGES" --seed "$SEED" --out "$WORK/corpus" --force
  python3 "$HERE/corpus_to_site.py" "$WORK/corpus" "$base" --force
fi
for v in empty full; do
  rm -rf "$WORK/$v"
  cp -r "$base" "$WORK/$v"
  python3 - "$WORK/$v" "$v" <<'PY'
import pathlib, re, sys
root, variant = pathlib.Path(sys.argv[1]), sys.argv[2]
cfg = root / "gazette.yaml"
text = cfg.read_text()
text = re.sub(r"(?m)^language:.*\n", "", text)
cfg.write_text(text + "languages:\n  default: en\n  others: [mn]\n")
if variant == "full":
    for f in (root / "content").rglob("*.md"):
        if f.name.count(".") > 1:
            continue
        src = f.read_text()
        m = re.search(r"(?m)^(title|name): *(.+)$", src)
        body = src.split("\n---\n", 1)[1] if "\n---\n" in src else ""
        key, title = (m.group(1), m.group(2)) if m else ("title", f.stem)
        title = title.strip().strip('"').replace('"', "'")
        f.with_name(f.stem + ".mn.md").write_text(
            f'---\n{key}: "{title} (мн)"\nunofficial: true\n---\n{body}'
        )
PY
done
"$GAZETTE" --root "$WORK/full" check >/dev/null 2>&1 || "$GAZETTE" --root "$WORK/full" check 2>&1 | tail -3

cmd() { echo "$GAZETTE --root $WORK/$1 build --output $OUT/$1"; }
hyperfine --warmup 1 --runs "$RUNS" --export-markdown "$RESULTS.tmp" \
  --prepare "rm -rf $OUT" -n one "$(cmd one)" -n empty "$(cmd empty)" -n full "$(cmd full)"
{
  echo "# A second language at $PAGES pages ($(date +%F))"
  echo
  echo "Binary: \`$("$GAZETTE" --version 2>/dev/null || echo gazette)\`; bench/languages.sh; hyperfine --warmup 1 --runs $RUNS."
  echo
  cat "$RESULTS.tmp"
  echo
  echo "| variant | files written | peak RSS (median of 3) |"
  echo "|---|---|---|"
  for v in one empty full; do
    rss=()
    for _ in 1 2 3; do
      rm -rf "$OUT"
      rss+=("$(/usr/bin/time -v $(cmd $v) 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {print $2}')")
    done
    med=$(printf '%s\n' "${rss[@]}" | sort -n | sed -n 2p)
    files=$(find "$OUT/$v" -type f | wc -l)
    echo "| $v | $files | $((med / 1024)) MiB |"
  done
} > "$RESULTS"
rm -f "$RESULTS.tmp"
cat "$RESULTS"
