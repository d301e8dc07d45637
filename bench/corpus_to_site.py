#!/usr/bin/env python3
"""Turn the neutral benchmark corpus into a Gazette site.

The corpus comes from the shared generator (the same one the Hugo and Zola
figures in shared/bench/PEERS.md were measured with):

    python3 gen_corpus.py --flavor neutral --pages 1000 --seed 42 --out DIR
    python3 bench/corpus_to_site.py DIR SITE [--force]

DIR/corpus.jsonl holds one {"type", "id", "fields", "body"} object per line,
types organization, person, dialogue, pledge and grant. SITE gets a
gazette.yaml (title, base_url https://example.org/ as in the Hugo flavor) and
content/<folder>/<id>.md files that pass `gazette check`.

Mapping (corpus field -> Gazette field; anything Gazette has no field for
goes under `extra:`, so nothing is lost and templates can still show it):

  all          title -> title (name for organizations and people),
               tags -> extra.tags
  organization category -> kind (ministry: government, agency: agency,
               foundation: donor, ngo: ngo, multilateral: multilateral,
               company: private-sector), website, parent;
               country (a name, not an ISO code), founded, date -> extra
  person       role + organization -> positions[0]; country, date -> extra
  dialogue     date, location, mode -> format, participants -> [{person}],
               organizations, outcomes; duration_minutes -> extra
  pledge       made_by, date -> made, made_at -> dialogue, target_date -> due,
               status (proposed: not-started, in-progress: in-progress,
               fulfilled: completed, stalled: stalled, broken: failed,
               withdrawn: withdrawn; the corpus value is kept in
               extra.corpus_status), updates -> progress entries (each
               reported on its own date); progress
               percent, amount, currency -> extra
  grant        funder, recipients -> [{organization}], date -> awarded,
               amount, currency; purpose, disbursed, pledge -> extra

The corpus has no partnership, so one is written (content/partnerships/
bench.md, two objectives) and every dialogue, pledge and grant points at it.

Gazette requires a pledge's status to equal the status of its latest progress
entry, and no progress entry may be dated before the pledge was made. So the
latest update gets the pledge's (mapped) status, earlier ones `in-progress`
(`not-started` when the pledge never started), and updates dated before
`made` are dropped (the generator never writes any).

Body links `/pledge/pledge-00082/` become `@/pledges/pledge-00082.md`.
Strings are written as JSON strings, which are valid YAML double-quoted
scalars. Python 3 standard library only.
"""
import argparse
import json
import os
import re
import shutil
import sys

FOLDER = {
    "partnership": "partnerships",
    "dialogue": "dialogues",
    "pledge": "pledges",
    "grant": "grants",
    "organization": "organizations",
    "person": "people",
    "report": "reports",
}
ORG_KIND = {
    "ministry": "government",
    "agency": "agency",
    "foundation": "donor",
    "ngo": "ngo",
    "multilateral": "multilateral",
    "company": "private-sector",
}
PLEDGE_STATUS = {
    "proposed": "not-started",
    "in-progress": "in-progress",
    "fulfilled": "completed",
    "stalled": "stalled",
    "broken": "failed",
    "withdrawn": "withdrawn",
}
MODES = {"in-person", "virtual", "hybrid"}
PARTNERSHIP = "bench"
SITE_TITLE = "Transparency Register (benchmark)"
BASE_URL = "https://example.org/"
SLUG = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
LINK = re.compile(r"\]\(/(dialogue|pledge|grant|organization|person)/([a-z0-9-]+)/\)")


def q(v):
    """A YAML scalar: JSON for strings (valid YAML), plain for the rest."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if SLUG.fullmatch(str(v)) and v not in YAML_WORDS:
        return v  # ids and vocabulary keys, written bare as an editor would
    return json.dumps(str(v), ensure_ascii=False)


def flow(items):
    return "[" + ", ".join(q(x) for x in items) + "]"


class Doc:
    """Front matter lines, built in order."""

    def __init__(self):
        self.lines = []

    def field(self, key, value, indent=0):
        if value is None:
            return
        pad = " " * indent
        if isinstance(value, dict):
            if not value:
                return
            self.lines.append(f"{pad}{key}:")
            for k, v in value.items():
                self.field(k, v, indent + 2)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            self.lines.append(f"{pad}{key}:")
            for rec in value:
                for j, (k, v) in enumerate(rec.items()):
                    lead = "- " if j == 0 else "  "
                    self.lines.append(f"{pad}  {lead}{k}: {q(v)}")
        elif isinstance(value, list):
            self.lines.append(f"{pad}{key}: {flow(value)}")
        else:
            self.lines.append(f"{pad}{key}: {q(value)}")

    def date(self, key, iso):
        # Bare ISO dates, as editors write them (Gazette reads them as text).
        if iso:
            self.lines.append(f"{key}: {iso}")

    def text(self, body):
        return "---\n" + "\n".join(self.lines) + "\n---\n\n" + body


def convert_body(body):
    return LINK.sub(lambda m: f"](@/{FOLDER[m.group(1)]}/{m.group(2)}.md)", body)


def organization(f):
    d = Doc()
    d.field("name", f["title"])
    d.field("kind", ORG_KIND.get(f.get("category"), "other"))
    d.field("website", f.get("website"))
    d.field("parent", f.get("parent"))
    d.field("extra", {"category": f.get("category"), "country": f.get("country"),
                      "founded": f.get("founded"), "date": f.get("date"), "tags": f.get("tags")})
    return d


def person(f):
    d = Doc()
    d.field("name", f["title"])
    pos = {"title": f["role"]} if f.get("role") else None
    if pos and f.get("organization"):
        pos["organization"] = f["organization"]
    d.field("positions", [pos] if pos else None)
    d.field("extra", {"country": f.get("country"), "date": f.get("date"), "tags": f.get("tags")})
    return d


def dialogue(f):
    d = Doc()
    d.field("title", f["title"])
    d.date("date", f["date"])
    d.field("partnership", PARTNERSHIP)
    mode = f.get("mode")
    d.field("format", mode if mode in MODES else "in-person")
    d.field("location", f.get("location"))
    d.field("participants", [{"person": p} for p in f.get("participants", [])] or None)
    d.field("organizations", f.get("organizations") or None)
    d.field("outcomes", f.get("outcomes") or None)
    d.field("extra", {"duration_minutes": f.get("duration_minutes"), "tags": f.get("tags")})
    return d


def progress_entries(made, status, updates):
    """Updates as progress entries; the latest carries the pledge's status."""
    kept = sorted((u for u in updates if not made or u["date"] >= made), key=lambda u: u["date"])
    earlier = "not-started" if status == "not-started" else "in-progress"
    out = []
    for i, u in enumerate(kept):
        # An update is its own report: it became known on its date.
        entry = {"date": u["date"], "reported": u["date"],
                 "status": status if i == len(kept) - 1 else earlier}
        if u.get("note"):
            entry["note"] = u["note"]
        out.append(entry)
    return out, len(updates) - len(kept)


def pledge(f):
    d = Doc()
    status = PLEDGE_STATUS.get(f.get("status"), "not-reported")
    d.field("title", f["title"])
    d.field("partnership", PARTNERSHIP)
    d.field("made_by", f["made_by"])
    d.date("made", f.get("date"))
    d.field("dialogue", f.get("made_at"))
    d.date("due", f.get("target_date"))
    d.field("status", status)
    entries, dropped = progress_entries(f.get("date"), status, f.get("updates", []))
    if entries:
        d.lines.append("progress:")
        for e in entries:
            d.lines.append(f"  - date: {e['date']}")
            d.lines.append(f"    reported: {e['reported']}")
            d.lines.append(f"    status: {e['status']}")
            if "note" in e:
                d.lines.append(f"    note: {q(e['note'])}")
    d.field("extra", {"corpus_status": f.get("status"), "progress_percent": f.get("progress"),
                      "amount": f.get("amount"), "currency": f.get("currency"),
                      "updates_dropped": dropped or None, "tags": f.get("tags")})
    return d


def grant(f):
    d = Doc()
    d.field("title", f["title"])
    d.field("partnership", PARTNERSHIP)
    d.field("funder", f["funder"])
    d.field("recipients", [{"organization": r} for r in f["recipients"]])
    d.date("awarded", f["date"])
    d.field("amount", f["amount"])
    d.field("currency", f["currency"])
    d.field("extra", {"purpose": f.get("purpose"), "disbursed": f.get("disbursed"),
                      "pledge": f.get("pledge"), "tags": f.get("tags")})
    return d


CONVERT = {"organization": organization, "person": person, "dialogue": dialogue,
           "pledge": pledge, "grant": grant}


def partnership(first_date, parties):
    d = Doc()
    d.field("title", "Benchmark partnership (synthetic records)")
    d.field("short_name", "Benchmark")
    d.date("signed", first_date[:7] if first_date else None)
    d.field("parties", parties)
    d.lines.append("objectives:")
    d.lines.append("  - id: transparency")
    d.lines.append('    title: "Publish the records of every dialogue, pledge and grant"')
    d.lines.append("  - id: delivery")
    d.lines.append('    title: "Deliver the commitments made in the dialogues"')
    d.field("status", "active")
    return d.text("Every dialogue, pledge and grant of the benchmark corpus belongs to this "
                  "partnership. The records are synthetic, made by `gen_corpus.py`.\n")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", help="folder holding corpus.jsonl (or the .jsonl file itself)")
    ap.add_argument("site", help="site folder to create")
    ap.add_argument("--force", action="store_true", help="delete the site folder first if it exists")
    a = ap.parse_args()
    src = a.corpus if a.corpus.endswith(".jsonl") else os.path.join(a.corpus, "corpus.jsonl")
    if os.path.exists(a.site):
        if not a.force:
            sys.exit(f"{a.site} exists; pass --force to replace it")
        shutil.rmtree(a.site)
    os.makedirs(a.site)
    # The Hugo flavor's base URL; an absolute one also gives absolute feed and
    # sitemap links (with `/`, `gazette check` warns that they stay relative).
    write(os.path.join(a.site, "gazette.yaml"), f"title: {q(SITE_TITLE)}\nbase_url: {q(BASE_URL)}\n")
    counts, dates, orgs = {}, [], []
    with open(src, encoding="utf-8") as fh:
        for line in fh:
            e = json.loads(line)
            kind = e["type"]
            if kind not in CONVERT:
                sys.exit(f"unknown corpus type {kind!r} in {src}")
            f = e["fields"]
            if kind in ("dialogue", "pledge", "grant"):
                dates.append(f["date"])
            if kind == "organization" and len(orgs) < 2:
                orgs.append(e["id"])
            doc = CONVERT[kind](f)
            write(os.path.join(a.site, "content", FOLDER[kind], e["id"] + ".md"),
                  doc.text(convert_body(e["body"])))
            counts[kind] = counts.get(kind, 0) + 1
    write(os.path.join(a.site, "content", "partnerships", PARTNERSHIP + ".md"),
          partnership(min(dates) if dates else None, orgs))
    total = sum(counts.values()) + 1
    print(f"gazette site: {total} files ({counts}, partnership 1) -> {a.site}", file=sys.stderr)


if __name__ == "__main__":
    main()
