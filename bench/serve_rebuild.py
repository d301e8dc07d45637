#!/usr/bin/env python3
"""Watch-mode rebuild times: `gazette serve` against `hugo server`, same run.

Runs `gazette serve` on a copy (in /dev/shm) of the converted benchmark
corpus, edits one dialogue's body --dialogue-edits times (one appended line,
as shared/bench/serve_rebuild.py does for Hugo and Zola), one person's name
--name-edits times, and adds a new dialogue then deletes it --add-edits
times, and reads the timing lines gazette prints for each rebuild:

  content/dialogues/dialogue-00001.md changed: 1 page rendered, 2 files updated in 14.3 ms
    + large pages and site-wide files: 1 page rendered, 2 files updated in 9.7 ms (23.5 ms after the change)

The first line is the time from the first file event to the edited pages
being served (the watcher's quiet period included); the second, when there
is one, the time until the whole-site files (open data, feed, search index)
and any page over 512 KiB are updated too, that is, until the whole site is
what a clean build would make of the files.
It also measures from the write to each line appearing in the log, the
CPU time (user + system) the server spent from the write to the second
line (from /proc; it varies less than wall time on a shared machine), and
reads the server's resident memory from /proc (when ready, at the end, and
its peak).

Then it runs shared/bench/serve_rebuild.py on `hugo server` with the Hugo
flavour of the same corpus for the same dialogue edit, and prints a summary
(Markdown) with medians and ratios.

Two servers differ by less than one run's noise (10-30% on a shared VM), so
to compare builds give --gazette more than once and --runs N: the runs are
interleaved (A, B, A, B, ...) and the summary gives, for each build, the
median of every run's edits pooled together and the range of the per-run
medians.

  python3 bench/serve_rebuild.py                  # 10000 pages
  python3 bench/serve_rebuild.py --pages 1000 --no-hugo
  python3 bench/serve_rebuild.py --no-hugo --runs 3 --gazette new=target/release/gazette --gazette old=/tmp/gazette-old
"""
import argparse, os, re, shutil, statistics, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
FIRST = re.compile(r"^(\S+) (?:changed|added|removed): (\d+) pages? rendered, (\d+) files? updated in ([\d.]+) ms$")
SECOND = re.compile(r"^  \+ .*: (\d+) pages? rendered, .* in ([\d.]+) ms \(([\d.]+) ms after the change\)$")
ERRORS = re.compile(r"error.*the last good build stays")


def find_gen():
    for g in [os.environ.get("GEN_CORPUS", ""), os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py"),
              "/work/shared/bench/gen_corpus.py"]:
        if g and os.path.isfile(g):
            return g
    sys.exit("gen_corpus.py not found; set GEN_CORPUS")


def corpora(work, n, seed):
    gen = find_gen()
    site, hugo = os.path.join(work, f"gazette-{n}"), os.path.join(work, f"corpus-hugo-{n}")
    if not os.path.isdir(site):
        neutral = os.path.join(work, f"corpus-neutral-{n}")
        subprocess.run([sys.executable, gen, "--flavor", "neutral", "--pages", str(n), "--seed", str(seed),
                        "--out", neutral, "--force"], check=True)
        subprocess.run([sys.executable, os.path.join(HERE, "corpus_to_site.py"), neutral, site, "--force"], check=True)
    if not os.path.isdir(hugo):
        subprocess.run([sys.executable, gen, "--flavor", "hugo", "--pages", str(n), "--seed", str(seed),
                        "--out", hugo, "--force"], check=True)
    return site, hugo, os.path.join(os.path.dirname(gen), "serve_rebuild.py")


class Log:
    """The server's stderr, line by line with arrival times."""

    def __init__(self, proc):
        self.lines, self.cond = [], threading.Condition()
        threading.Thread(target=self.read, args=(proc,), daemon=True).start()

    def read(self, proc):
        for line in proc.stderr:
            with self.cond:
                self.lines.append((time.monotonic(), line.rstrip("\n")))
                self.cond.notify_all()

    def wait(self, start, pattern, timeout):
        """The first line from index `start` on matching `pattern`: (index, time, match)."""
        end = time.monotonic() + timeout
        with self.cond:
            while True:
                for i in range(start, len(self.lines)):
                    m = pattern.search(self.lines[i][1])
                    if m:
                        return i, self.lines[i][0], m
                if time.monotonic() > end:
                    return None
                self.cond.wait(0.2)


def gazette_run(a, site):
    work = tempfile.mkdtemp(prefix="serve-gazette-", dir=a.workdir)
    copy = os.path.join(work, "site")
    shutil.copytree(site, copy)
    cmd = [a.gazette, "--root", copy, "serve", "--port", str(a.port), "--color", "never"]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, bufsize=1)
    log = Log(proc)
    results = {"dialogue": [], "name": [], "add": [], "remove": []}
    memory = {}
    try:
        ready = log.wait(0, re.compile(r"^serving "), 900)
        if not ready:
            sys.exit("gazette serve did not start:\n" + "\n".join(l for _, l in log.lines))
        print(f"gazette: ready after {ready[1] - t0:.1f} s: {log.lines[ready[0]][1]}")
        memory["ready"] = rss_mib(proc.pid, "VmRSS")
        at = ready[0] + 1
        dialogue = os.path.join(copy, "content", "dialogues", "dialogue-00001.md")
        person = os.path.join(copy, "content", "people", "person-00010.md")
        edits = [("dialogue", i) for i in range(a.dialogue_edits)] + [("name", i) for i in range(a.name_edits)]
        for i in range(a.add_edits):
            edits += [("add", i), ("remove", i)]
        added = lambda i: os.path.join(copy, "content", "dialogues", f"dialogue-added-{i + 1}.md")
        for kind, i in edits:
            time.sleep(a.gap)
            cpu0 = cpu_ms(proc.pid)
            if kind == "add":
                # A new record: dialogue-00001's front matter and body, retitled.
                text = open(dialogue, encoding="utf-8").read()
                text = re.sub(r"(?m)^title: .*$", f'title: "Added dialogue {i + 1}"', text, count=1)
                with open(added(i), "w", encoding="utf-8") as fh:
                    fh.write(text)
            elif kind == "remove":
                os.remove(added(i))
            elif kind == "dialogue":
                with open(dialogue, "a", encoding="utf-8") as fh:
                    fh.write(f"\nEdit number {i + 1} appended by serve_rebuild.py.\n")
            else:
                text = open(person, encoding="utf-8").read()
                text = re.sub(r"(?m)^name: .*$", f"name: Renamed Person {i + 1}", text, count=1)
                with open(person, "w", encoding="utf-8") as fh:
                    fh.write(text)
            tw = time.monotonic()
            first = log.wait(at, FIRST, 300)
            if not first:
                sys.exit(f"{kind} edit {i + 1}: no rebuild line\n" + "\n".join(l for _, l in log.lines[at:]))
            at = first[0] + 1
            row = {"pages": int(first[2].group(2)), "reported": float(first[2].group(4)),
                   "observed": (first[1] - tw) * 1000}
            second = log.wait(at, SECOND, 300)
            if second and second[0] == at:
                at = second[0] + 1
                row.update(large_pages=int(second[2].group(1)), total=float(second[2].group(3)),
                           total_observed=(second[1] - tw) * 1000, cpu=cpu_ms(proc.pid) - cpu0)
            results[kind].append(row)
            print(f"gazette {kind} edit {i + 1}: {row}")
        memory["end"] = rss_mib(proc.pid, "VmRSS")
        memory["peak"] = rss_mib(proc.pid, "VmHWM")
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        if a.log:
            with open(a.log, "w") as fh:
                fh.write("\n".join(f"{t - t0:9.3f} {l}" for t, l in log.lines) + "\n")
        shutil.rmtree(work, ignore_errors=True)
    return ready[1] - t0, results, memory


def cpu_ms(pid):
    """A process's CPU time so far (user + system, every thread), in ms: on a
    shared machine the CPU an edit costs varies less than its wall time."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def rss_mib(pid, field):
    """A process's resident memory from /proc (VmRSS now, VmHWM its peak), in MiB."""
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return None


def hugo_run(a, hugo_site, script):
    if not shutil.which("hugo"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "hugo"], check=False)
    if not shutil.which("hugo") or not os.path.isfile(script):
        print("hugo or shared/bench/serve_rebuild.py missing: skipping hugo")
        return None
    out = subprocess.run([sys.executable, script, "--tool", "hugo", "--site", hugo_site,
                          "--edits", str(a.dialogue_edits), "--gap", str(a.gap), "--port", str(a.port + 1)],
                         capture_output=True, text=True)
    print(out.stdout + out.stderr)
    rep = [float(x) for x in re.findall(r"server reports (\d+) ms", out.stdout)]
    obs = [float(x) for x in re.findall(r"write->log line (\d+) ms", out.stdout)]
    ready = re.search(r"server ready after ([\d.]+) s", out.stdout)
    return {"reported": rep, "observed": obs, "ready": float(ready.group(1)) if ready else None}


def med(rows, key):
    v = [r[key] for r in rows if key in r]
    return statistics.median(v) if v else None


def spread(runs, kind, key):
    """The pooled median of one measure over every run, and the range of the per-run medians."""
    pooled = [r for g in runs for r in g[kind]]
    per_run = [m for m in (med(g[kind], key) for g in runs) if m is not None]
    return med(pooled, key), (min(per_run), max(per_run)) if per_run else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--dialogue-edits", type=int, default=10)
    ap.add_argument("--name-edits", type=int, default=5)
    ap.add_argument("--add-edits", type=int, default=5, help="new dialogues added, each then removed")
    ap.add_argument("--gap", type=float, default=3.0, help="seconds between the end of a rebuild and the next edit")
    ap.add_argument("--port", type=int, default=18090)
    ap.add_argument("--workdir", default="/dev/shm")
    ap.add_argument("--work", default=os.environ.get("WORK", "/tmp/gazette-bench"), help="corpora, kept between runs")
    ap.add_argument("--gazette", action="append", default=[],
                    help="a gazette binary, as PATH or LABEL=PATH; give it twice or more to compare builds")
    ap.add_argument("--runs", type=int, default=1, help="runs of each build, interleaved")
    ap.add_argument("--no-hugo", action="store_true")
    ap.add_argument("--log", help="keep gazette's output here (the last run's)")
    a = ap.parse_args()
    if not a.gazette and os.environ.get("GAZETTE"):
        a.gazette = [os.environ["GAZETTE"]]
    if not a.gazette:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))
        a.gazette = [os.path.join(target, "release", "gazette")]
    builds = [tuple(g.split("=", 1)) if "=" in g else (os.path.basename(g), g) for g in a.gazette]
    os.makedirs(a.work, exist_ok=True)
    site, hugo_site, script = corpora(a.work, a.pages, a.seed)
    runs = {label: [] for label, _ in builds}
    for n in range(a.runs):
        for label, path in builds:
            print(f"== run {n + 1} of {a.runs}: {label} ({path})")
            a_run = argparse.Namespace(**{**vars(a), "gazette": path})
            runs[label].append(gazette_run(a_run, site))
    h = None if a.no_hugo else hugo_run(a, hugo_site, script)
    f = lambda x: "n/a" if x is None else f"{x:.0f}" if x >= 100 else f"{x:.1f}"
    rng = lambda r: "" if r is None or a.runs == 1 else f" ({f(r[0])}-{f(r[1])})"
    lines = [f"Watch mode, {a.pages} records ({time.strftime('%Y-%m-%d')}; output in memory, site in {a.workdir};"
             f" {a.runs} run(s) of each build, interleaved; with several runs, each median is of every run's"
             " edits pooled, and the range in brackets is that of the per-run medians):", "",
             "| edit | server | n | median to edited pages served (reported) | median write→line | median until all files updated | median CPU (user+sys) | pages rendered first |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for kind, label in [("dialogue", "dialogue body (append a line)"), ("name", "person's name"),
                        ("add", "a new dialogue"), ("remove", "that dialogue deleted")]:
        for build, _ in builds:
            gs = [g for _, g, _ in runs[build]]
            n = sum(len(g[kind]) for g in gs)
            if not n:
                continue
            cells = []
            for key in ("reported", "observed", "total", "cpu"):
                m, r = spread(gs, kind, key)
                cells.append(f"{f(m)} ms{rng(r)}")
            pages = spread(gs, kind, "pages")[0]
            lines.append(f"| {label} | gazette serve {build} | {n} | " + " | ".join(cells) + f" | {f(pages)} |")
    lines.append("")
    for build, _ in builds:
        mems = [m for _, _, m in runs[build]]
        cell = lambda k: f(statistics.median([m[k] for m in mems])) + rng(
            (min(m[k] for m in mems), max(m[k] for m in mems)))
        lines.append(f"gazette serve {build}: resident {cell('ready')} MiB when ready, {cell('end')} MiB at the end, "
                     f"peak {cell('peak')} MiB.")
    lines.append("")
    if h and h["reported"]:
        ready, g, _ = runs[builds[0][0]][0]
        lines.append(f"| dialogue body (append a line) | hugo server | {len(h['reported'])} | "
                     f"{f(statistics.median(h['reported']))} ms | {f(statistics.median(h['observed']))} ms | "
                     f"{f(statistics.median(h['reported']))} ms | n/a | — |")
        gd, hd = med(g["dialogue"], "reported"), statistics.median(h["reported"])
        gt = med(g["dialogue"], "total")
        lines += ["", f"gazette ready after {ready:.1f} s, hugo after {h['ready']} s.",
                  f"Dialogue edit, edited page served: gazette {f(gd)} ms vs hugo {f(hd)} ms "
                  f"({hd / gd:.0f}× less); everything updated: gazette {f(gt)} ms "
                  f"({hd / gt:.0f}× less than hugo's rebuild)." if gd and gt else ""]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
