#!/usr/bin/env python3
"""Probes the development server (`gazette serve`) with slow, idle and
hostile clients, and prints what it answered and what it cost.

Starts `gazette --root REPO serve` on a free port (or probes a server that is
already running with --port/--pid), waits for the first build, then runs:

  slowloris   SLOW connections that each send one byte of a request head
              every 2 s, and IDLE connections that send nothing, all kept open
              at once (a socket the server closes is opened again); while
              they are open, NORMAL plain `GET /` requests one after another,
              each given up after 4 s. Reports how many were answered and how
              fast, how many slow and idle sockets the server closed, and the
              server's threads, open files and resident memory over time.
  concurrent  8 clients x 200 requests each over a mix of pages and assets.
  probes      path traversal, encoding tricks and malformed request heads:
              each must be answered 400, 404 or 405 without any byte of the
              files they aim at.
  streams     33 live-reload event streams: 32 open, the 33rd refused (503).

  python3 bench/server_probe.py                        # release binary, all probes
  python3 bench/server_probe.py --binary target/debug/gazette --only slowloris
  python3 bench/server_probe.py --slow 100 --idle 0    # the issue's first case

Loopback only; nothing here talks to another host.
"""
import argparse, errno, json, os, selectors, socket, statistics, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SLOW_HEAD = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\n" + b"X-a: b\r\n" * 1000


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def request(port, raw, timeout=4.0):
    """Sends raw bytes, reads to the end: (status or None, head, body, seconds)."""
    t = time.perf_counter()
    deadline = t + timeout
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    except OSError:
        return None, "", b"", time.perf_counter() - t
    data = b""
    try:
        s.sendall(raw)
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            s.settimeout(left)
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
            head_end = data.find(b"\r\n\r\n")
            if head_end >= 0:
                head = data[:head_end].decode("latin-1")
                length = None
                for line in head.split("\r\n")[1:]:
                    k, _, v = line.partition(":")
                    if k.strip().lower() == "content-length":
                        length = int(v.strip())
                # HEAD answers and keep-alive servers: stop at the announced length.
                if length is not None and len(data) - head_end - 4 >= length:
                    break
                if raw.startswith(b"HEAD ") and length is not None:
                    break
    except OSError:
        pass
    finally:
        s.close()
    took = time.perf_counter() - t
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None, "", b"", took
    head = data[:end].decode("latin-1")
    try:
        status = int(head.split(" ")[1])
    except (IndexError, ValueError):
        status = None
    return status, head, data[end + 4:], took


def get(port, path, timeout=4.0):
    return request(port, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode(), timeout)


def proc_status(pid):
    """Threads, resident memory (KiB) and open files of the server process."""
    if not pid:
        return {}
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("Threads", "VmRSS"):
                    out[k] = int(v.split()[0])
        out["fds"] = len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        pass
    return out


class Pressure(threading.Thread):
    """Keeps `slow` slow and `idle` idle connections open until stopped."""

    def __init__(self, port, slow, idle):
        super().__init__(daemon=True)
        self.port, self.want = port, {"slow": slow, "idle": idle}
        self.sel = selectors.DefaultSelector()
        self.socks = {}  # socket -> [kind, bytes sent, opened at]
        self.closed = {"slow": 0, "idle": 0}
        self.lifetimes = {"slow": [], "idle": []}
        self.stop = threading.Event()
        self.refused = 0

    def open_one(self, kind):
        s = socket.socket()
        s.setblocking(False)
        err = s.connect_ex(("127.0.0.1", self.port))
        if err not in (0, errno.EINPROGRESS):
            s.close()
            self.refused += 1
            return
        self.socks[s] = [kind, 0, time.monotonic()]
        self.sel.register(s, selectors.EVENT_READ)

    def count(self, kind):
        return sum(1 for v in self.socks.values() if v[0] == kind)

    def drop(self, s, by_server=True):
        kind, _, opened = self.socks.pop(s)
        self.sel.unregister(s)
        s.close()
        if by_server:
            self.closed[kind] += 1
            self.lifetimes[kind].append(time.monotonic() - opened)

    def run(self):
        for kind in ("slow", "idle"):
            for _ in range(self.want[kind]):
                self.open_one(kind)
        next_byte = time.monotonic() + 2.0
        while not self.stop.is_set():
            for key, _ in self.sel.select(timeout=0.1):
                s = key.fileobj
                try:
                    gone = s.recv(4096) == b""
                except BlockingIOError:
                    gone = False
                except OSError:
                    gone = True
                if gone:
                    self.drop(s)
            if time.monotonic() >= next_byte:
                next_byte += 2.0
                for s, v in list(self.socks.items()):
                    if v[0] != "slow":
                        continue
                    try:
                        s.send(SLOW_HEAD[v[1] % len(SLOW_HEAD):][:1])
                        v[1] += 1
                    except BlockingIOError:
                        pass
                    except OSError:
                        self.drop(s)
            for kind in ("slow", "idle"):
                for _ in range(self.want[kind] - self.count(kind)):
                    self.open_one(kind)
        for s in list(self.socks):
            self.drop(s, by_server=False)


def slowloris(port, pid, slow, idle, normal, settle, hold):
    print(f"\n## slowloris: {slow} slow + {idle} idle connections, {normal} normal GET /")
    before = proc_status(pid)
    p = Pressure(port, slow, idle)
    p.start()
    time.sleep(settle)
    times, answered, samples = [], 0, [proc_status(pid)]
    for _ in range(normal):
        status, _, body, took = get(port, "/")
        if status == 200 and body:
            answered += 1
            times.append(took)
        samples.append(proc_status(pid))
        time.sleep(0.1)
    # Keep the pressure on to see whether the server closes the slow sockets.
    end = time.monotonic() + hold
    late = []
    while time.monotonic() < end:
        time.sleep(1.0)
        status, _, body, took = get(port, "/")
        late.append(took if status == 200 and body else None)
        samples.append(proc_status(pid))
    p.stop.set()
    p.join()
    time.sleep(0.5)
    after = proc_status(pid)
    peak = {k: max(s.get(k, 0) for s in samples) for k in ("Threads", "VmRSS", "fds")}
    ok_late = [t for t in late if t is not None]
    result = {
        "slow": slow, "idle": idle,
        "answered": answered, "asked": normal,
        "median_ms": round(statistics.median(times) * 1000, 1) if times else None,
        "max_ms": round(max(times) * 1000, 1) if times else None,
        "later_answered": len(ok_late), "later_asked": len(late),
        "later_max_ms": round(max(ok_late) * 1000, 1) if ok_late else None,
        "slow_closed_by_server": p.closed["slow"], "idle_closed_by_server": p.closed["idle"],
        "slow_median_life_s": round(statistics.median(p.lifetimes["slow"]), 1) if p.lifetimes["slow"] else None,
        "idle_median_life_s": round(statistics.median(p.lifetimes["idle"]), 1) if p.lifetimes["idle"] else None,
        "connect_refused": p.refused,
        "before": before, "peak": peak, "after": after,
    }
    print(f"- normal requests answered: {answered}/{normal}, median {result['median_ms']} ms, "
          f"max {result['max_ms']} ms")
    print(f"- one a second for {hold:.0f} s more: {len(ok_late)}/{len(late)} answered, "
          f"max {result['later_max_ms']} ms")
    print(f"- closed by the server in {settle + hold:.0f} s: {p.closed['slow']} slow "
          f"(median life {result['slow_median_life_s']} s), {p.closed['idle']} idle "
          f"(median life {result['idle_median_life_s']} s); connects refused: {p.refused}")
    print(f"- server threads / RSS KiB / open files: before {before.get('Threads')} / "
          f"{before.get('VmRSS')} / {before.get('fds')}; peak {peak['Threads']} / {peak['VmRSS']} / "
          f"{peak['fds']}; after {after.get('Threads')} / {after.get('VmRSS')} / {after.get('fds')}")
    return result


def concurrent(port, pid, clients=8, each=200):
    print(f"\n## concurrent: {clients} clients x {each} requests")
    paths = ["/", "/people/", "/style.css", "/people/kari-johnstone/", "/__gazette/live.js", "/missing/"]
    expect = {"/missing/": 404}
    results, lock = [], threading.Lock()

    def client(i):
        mine = []
        for n in range(each):
            path = paths[(i + n) % len(paths)]
            status, _, body, took = get(port, path, timeout=10)
            mine.append((status == expect.get(path, 200) and len(body) > 0, took))
        with lock:
            results.extend(mine)

    t = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t
    ok = sum(1 for good, _ in results if good)
    times = sorted(took for _, took in results)
    result = {
        "ok": ok, "asked": len(results), "wall_s": round(wall, 2),
        "median_ms": round(statistics.median(times) * 1000, 2),
        "p99_ms": round(times[int(len(times) * 0.99) - 1] * 1000, 2),
        "after": proc_status(pid),
    }
    print(f"- {ok}/{len(results)} right answers in {wall:.2f} s; median {result['median_ms']} ms, "
          f"p99 {result['p99_ms']} ms; threads after {result['after'].get('Threads')}")
    return result


TRAVERSAL = [
    "/../Cargo.toml", "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2e%2e/Cargo.toml",
    "/%2E%2E%2FCargo.toml", "/people%2f..%2f..%2fCargo.toml", "/people/%2e%2e/%2e%2e/Cargo.toml",
    "/..\\..\\Cargo.toml", "/..%5c..%5cCargo.toml", "//etc/passwd", "/%2fetc/passwd", "/etc/passwd",
    "/C:/Windows/win.ini", "/Cargo.toml", "/src/lib.rs", "/content/people/kari-johnstone.md",
    "/index.html%00.css", "/%252e%252e/Cargo.toml", "/./index.html", "/%c0%ae%c0%ae/Cargo.toml",
    "/index.html%0d%0aSet-Cookie:x",
]
MALFORMED = [
    b"GET / HTTP/1.1 extra\r\n\r\n", b"GET /\r\n\r\n", b"get / HTTP/1.1\r\n\r\n", b"GET / SPDY/3\r\n\r\n",
    b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
    b"GET / HTTP/1.1\r\nX: " + b"a" * 70000 + b"\r\n\r\n", b"GET http://example.org/ HTTP/1.1\r\n\r\n",
    b"GET * HTTP/1.1\r\n\r\n", b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello",
    b"PUT /index.html HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", b"DELETE / HTTP/1.1\r\n\r\n",
    b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    b"GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    b"GET /\x00 HTTP/1.1\r\n\r\n", b"\r\n\r\n", b"GET / HTTP/1.1\r\nHost\r\n\r\n",
]


def probes(port):
    print("\n## probes: traversal and malformed heads")
    secrets = [open(os.path.join(REPO, "Cargo.toml")).read().splitlines()[0], "root:x:", "fn main", "name: Kari"]
    bad, statuses = [], {}
    for target in TRAVERSAL:
        raw = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode("latin-1")
        status, head, body, _ = request(port, raw)
        statuses[target] = status
        text = body.decode("latin-1")
        if status not in (400, 404) or any(s in text for s in secrets) or "Set-Cookie" in head:
            bad.append((target, status))
    for raw in MALFORMED:
        status, head, body, _ = request(port, raw)
        key = repr(raw[:40])
        statuses[key] = status
        # A GET with a chunked body is a valid request: 200 is right too.
        ok = status in (400, 404, 405, 413, 414, 431, 501, 505) or (status is None and raw.startswith(b"\x16")) \
            or (status == 200 and b"chunked" in raw)
        if not ok or any(s in body.decode("latin-1") for s in secrets):
            bad.append((key, status))
    result = {"asked": len(TRAVERSAL) + len(MALFORMED), "bad": bad, "statuses": statuses}
    print(f"- {result['asked'] - len(bad)}/{result['asked']} refused cleanly; wrong: {bad}")
    return result


def streams(port, pid):
    print("\n## streams: 33 live-reload event streams")
    socks, statuses = [], []
    for _ in range(33):
        s = socket.create_connection(("127.0.0.1", port), timeout=4)
        s.sendall(b"GET /__gazette/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        try:
            statuses.append(int(data.split(b" ")[1]))
        except (IndexError, ValueError):
            statuses.append(None)
        socks.append(s)
    status, _, _, took = get(port, "/")
    threads = proc_status(pid).get("Threads")
    for s in socks:
        s.close()
    time.sleep(1.0)
    again = None
    for _ in range(20):
        s = socket.create_connection(("127.0.0.1", port), timeout=4)
        s.sendall(b"GET /__gazette/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        try:
            again = int(s.recv(4096).split(b" ")[1])
        except (OSError, IndexError, ValueError):
            again = None
        s.close()
        if again == 200:
            break
        time.sleep(0.2)
    result = {
        "ok": statuses.count(200), "refused": statuses.count(503), "statuses": statuses,
        "page_while_full": status, "page_ms": round(took * 1000, 1), "threads_while_full": threads,
        "stream_after_close": again,
    }
    print(f"- {result['ok']} streams opened, {result['refused']} refused (503); GET / while full: "
          f"{status} in {result['page_ms']} ms; threads {threads}; a new stream after closing all: {again}")
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(REPO, "target", "release", "gazette"))
    ap.add_argument("--root", default=REPO, help="the site to serve")
    ap.add_argument("--port", type=int, help="probe a server already running on this port")
    ap.add_argument("--pid", type=int, help="its process id, for threads and memory")
    ap.add_argument("--only", action="append", choices=["slowloris", "concurrent", "probes", "streams"])
    ap.add_argument("--slow", type=int, default=200)
    ap.add_argument("--idle", type=int, default=200)
    ap.add_argument("--normal", type=int, default=10)
    ap.add_argument("--settle", type=float, default=3.0, help="seconds between opening and probing")
    ap.add_argument("--hold", type=float, default=20.0, help="seconds of pressure after the probes")
    ap.add_argument("--json", help="write the results here too")
    args = ap.parse_args()

    proc, log = None, None
    port, pid = args.port, args.pid
    if port is None:
        port = free_port()
        log = tempfile.NamedTemporaryFile(prefix="gazette-serve-", suffix=".log", delete=False)
        proc = subprocess.Popen([args.binary, "--root", args.root, "serve", "--port", str(port)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
        pid = proc.pid
        end = time.monotonic() + 120
        while get(port, "/", timeout=1)[0] != 200:
            if time.monotonic() > end or proc.poll() is not None:
                sys.exit(f"server did not come up; see {log.name}")
            time.sleep(0.1)
    print(f"# server_probe: {args.binary if proc else 'port %d' % port}")
    results = {}
    try:
        todo = args.only or ["probes", "streams", "concurrent", "slowloris"]
        if "probes" in todo:
            results["probes"] = probes(port)
        if "streams" in todo:
            results["streams"] = streams(port, pid)
        if "concurrent" in todo:
            results["concurrent"] = concurrent(port, pid)
        if "slowloris" in todo:
            results["slowloris"] = slowloris(port, pid, args.slow, args.idle, args.normal, args.settle, args.hold)
    finally:
        if proc:
            proc.terminate()
            t = time.monotonic()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            results["sigterm_exit_s"] = round(time.monotonic() - t, 2)
            print(f"\nexit after SIGTERM: {results['sigterm_exit_s']} s (code {proc.returncode})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
