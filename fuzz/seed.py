#!/usr/bin/env python3
"""Seed each fuzz target's corpus from the sample site, the test fixtures
and the bad-input corpus (docs/fuzzing.md). Writes fuzz/seeds/<target>/;
fuzzing then adds to fuzz/corpus/<target>/ (copy the seeds there to start), which `cargo fuzz cmin`
minimises before it is committed.

    python3 fuzz/seed.py            # from the repository root
"""
import hashlib
import io
import pathlib
import subprocess
import tempfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "seeds"
# Kind::ALL, in its order: the content_file target's first byte picks one.
KINDS = ["partnerships", "dialogues", "pledges", "grants", "organizations", "people", "reports"]


def sites():
    """Every site root: the sample site and each fixture."""
    yield ROOT
    for group in ("tests/fixtures", "tests/bad_input"):
        for d in sorted((ROOT / group).iterdir()):
            if d.is_dir():
                yield d


def put(target, data):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def site_files(site):
    """(relative path, bytes) of a site's own files."""
    if (site / "gazette.yaml").is_file():
        yield "gazette.yaml", (site / "gazette.yaml").read_bytes()
    for top in ("content", "themes"):
        base = site / top
        if base.is_dir():
            for f in sorted(base.rglob("*")):
                if f.is_file():
                    yield f.relative_to(site).as_posix(), f.read_bytes()


def body_of(text):
    parts = text.split(b"\n---", 2)
    return parts[2].split(b"\n", 1)[-1] if len(parts) == 3 else text


def main():
    for site in sites():
        files = list(site_files(site))
        put("site", b"".join(b"@@ " + p.encode() + b"\n" + t for p, t in files))
        for path, text in files:
            if path == "gazette.yaml":
                put("config", text)
            elif path.startswith("content/") and path.endswith(".md"):
                parts = path.split("/")
                kind = KINDS.index(parts[1]) if parts[1] in KINDS else 0
                translation = path.count(".") > 1
                put("content_file", bytes([kind + (128 if translation else 0)]) + text)
                put("markdown", bytes([0b110]) + body_of(text))
                put("markdown", bytes([0b001]) + body_of(text))
    for req in [
        b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"GET /grants/cpc-grant/ HTTP/1.1\r\nHost: x\r\n\r\n",
        b"HEAD /style.css?v=1 HTTP/1.0\n\n",
        b"GET /%2e%2e/etc/passwd HTTP/1.1\r\n\r\n",
        b"GET /__gazette/events HTTP/1.1\r\nAccept: text/event-stream\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
        b"GET /grants HTTP/1.1\r\n\r\n",
    ]:
        for step in (0, 3, 255):
            put("http_request", bytes([step]) + req)
    # A real bundle of a fixture site, and small zips around its shape.
    with tempfile.TemporaryDirectory() as tmp:
        z = pathlib.Path(tmp) / "b.zip"
        fixture = ROOT / "tests/fixtures/progress-site"
        subprocess.run(
            ["cargo", "run", "--quiet", "--", "--root", str(fixture),
             "bundle", "--output", str(z)],
            cwd=ROOT, check=True, stderr=subprocess.DEVNULL)
        put("verify_zip", z.read_bytes())
    for manifest, files in [
        (b"", {}),
        (hashlib.sha256(b"hi").hexdigest().encode() + b"  a.html\n", {"a.html": b"hi"}),
        (b"00  a.html\nbad line\n", {"a.html": b"hi", "b/c.html": b""}),
    ]:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("site/MANIFEST.sha256", manifest)
            for name, data in files.items():
                zf.writestr("site/" + name, data)
        put("verify_zip", buf.getvalue())


if __name__ == "__main__":
    main()
