#!/usr/bin/env python3
"""Times topo on hostile inputs: wall time and peak RSS of the whole process.

    cargo build --release
    python3 benches/hostile.py [--topo target/release/topo] [--runs 5] [--only NAME_PREFIX]

Each case is generated into a temporary directory, run RUNS times, and
printed as a Markdown row: the median wall time, the slowest run, the largest
peak RSS, the exit code and the input's size. The cases are the reproducers
of the robustness promises (README, "Robustness"): every one must end in under
2 s and 1 GB on a release build, with exit 1 or 2 and no crash.

Nothing but Python's standard library and `mkfifo` is needed; peak RSS comes
from `wait4`, the kernel's own accounting of the finished child.
"""

import argparse
import resource
import signal
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

MB = 1024 * 1024


def lsp_message(obj):
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


INITIALIZE = lsp_message(
    {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
)
EXIT = lsp_message({"jsonrpc": "2.0", "method": "exit"})


def cases(d):
    """(name, description, argv, files {relative path: bytes}, stdin bytes)."""
    yield (
        "duplicate-hosts",
        "a service `on h[1..100000]` written ten times",
        ["check", "--format", "json", "a.topo"],
        {"a.topo": ("service s on" + " h[1..100000]" * 10 + " { }\n").encode()},
        None,
    )
    yield (
        "duplicate-hosts-declared",
        "the same, with 100,000 declared servers",
        ["check", "--format", "json", "a.topo"],
        {
            "a.topo": (
                "server h[1..100000] { }\n"
                + "service s on"
                + " h[1..100000]" * 10
                + " { }\n"
            ).encode()
        },
        None,
    )
    parts = "".join(
        f"  {kind} {kind[0]}[1..100000] {{ }}\n" for kind in ("nic", "disk", "card", "cpu")
    )
    yield (
        "model-part-ranges",
        "a model with four ranges of 100,000 parts, used by 50 servers",
        ["check", "--format", "json", "a.topo"],
        {"a.topo": ("model m {\n" + parts + "}\nserver s[1..50] : m { }\n").encode()},
        None,
    )
    yield (
        "link-cross-product",
        "`link h[1..100000] to t[1..100000]`",
        ["check", "--format", "json", "a.topo"],
        {
            "a.topo": b"server h[1..100000] { }\nswitch t[1..100000] { }\n"
            b"link h[1..100000] to t[1..100000]\n"
        },
        None,
    )
    yield (
        "calls-cross-product",
        "100,000 services, each `calls s[1..100000]`",
        ["check", "--format", "json", "a.topo"],
        {"a.topo": b"server h { }\nservice s[1..100000] on h { calls s[1..100000] }\n"},
        None,
    )
    pad = "0" * 60_000
    yield (
        "padded-range",
        "a range whose bounds have 60,000 digits",
        ["check", "--format", "json", "a.topo"],
        {"a.topo": f"site a[{pad}1..{pad}9]\n".encode()},
        None,
    )
    yield (
        "huge-number",
        "`1e400W` and a sum that overflows",
        ["check", "--format", "json", "a.topo"],
        {
            "a.topo": b"site s\nfeed f { site s; circuit 30A at 208V }\n"
            b"rack r { site s; height 42U; feeds f; power 1e400W }\n"
            b"server a[1..40] { rack r at U1; size 1U; draw 1e307W }\n"
        },
        None,
    )
    yield (
        "include-dev-zero",
        '`include "/dev/zero"`',
        ["check", "--format", "json", "a.topo"],
        {"a.topo": b'include "/dev/zero"\nsite s\n'},
        None,
    )
    yield (
        "include-fifo",
        "an include of a FIFO nobody writes to",
        ["check", "--format", "json", "a.topo"],
        {"a.topo": b'include "pipe.topo"\nsite s\n', "pipe.topo": "fifo"},
        None,
    )
    yield (
        "include-escape",
        "`include \"../../secret.topo\"` (outside the project root)",
        ["check", "--format", "json", "p/q/a.topo"],
        {"p/q/a.topo": b'include "../../secret.topo"\nsite s\n', "secret.topo": b"site secret\n"},
        None,
    )
    commented = "".join(
        f"# comment {i}\nsite s{i} {{ role primary }} # trailing {i}\n" for i in range(80_000)
    )
    yield (
        "fmt-160k-lines",
        "`fmt` of 160,000 lines, half of them comments",
        ["fmt", "a.topo"],
        {"a.topo": commented.replace("{ role", "{  role").encode()},
        None,
    )
    yield (
        "fmt-check-40k-lines",
        "`fmt --check` of 40,000 unformatted lines",
        ["fmt", "--check", "a.topo"],
        {"a.topo": commented[: len(commented) // 4].replace("{ role", "{  role").encode()},
        None,
    )
    yield (
        "fmt-over-limit",
        "`fmt` of a 65 MiB file",
        ["fmt", "a.topo"],
        {"a.topo": b"# " + b"x" * (65 * MB) + b"\n"},
        None,
    )
    head = "manufacturer: Dell\nmodel: PowerEdge R650\nslug: dell-r650\nu_height: 1\n"
    yield (
        "netbox-nesting",
        "NetBox YAML nested 80,000 levels deep",
        ["import", "netbox", "-o", "out.topo", "a.yaml"],
        {"a.yaml": (head + "extra: " + "[" * 80_000 + "]" * 80_000 + "\n").encode()},
        None,
    )
    bomb = head + "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for i in range(1, 10):
        bomb += f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n"
    while len(bomb) < 160_000:
        bomb += f"pad{len(bomb)}: {'p' * 60}\n"
    yield (
        "netbox-alias-bomb",
        "NetBox YAML, nine levels of ten aliases (10^10 nodes), padded to 160 KB",
        ["import", "netbox", "-o", "out.topo", "a.yaml"],
        {"a.yaml": bomb.encode()},
        None,
    )
    wide = head + "interfaces:\n" + "  - {name: &n " + "n" * 700_000 + ", type: 10gbase-t}\n"
    wide += "  - {name: *n, type: 10gbase-t}\n" * 100
    yield (
        "netbox-text-bomb",
        "NetBox YAML, a 700 KB name repeated by 100 aliases",
        ["import", "netbox", "-o", "out.topo", "a.yaml"],
        {"a.yaml": wide.encode()},
        None,
    )
    yield (
        "netbox-bom",
        "a NetBox device type with a UTF-8 BOM",
        ["import", "netbox", "-o", "out.topo", "a.yaml"],
        {"a.yaml": b"\xef\xbb\xbf" + head.encode()},
        None,
    )
    for name, length in (
        ("lsp-1e12", b"1000000000000"),
        ("lsp-u64-max", b"18446744073709551615"),
        ("lsp-4e9", b"4000000000"),
    ):
        yield (
            name,
            "`topo lsp` sent `Content-Length: %s`, then EOF" % length.decode(),
            ["lsp"],
            {},
            INITIALIZE + b"Content-Length: " + length + b"\r\n\r\n{}",
        )
    yield (
        "declarations-200k",
        "200,000 declarations, one unknown site at the end",
        ["check", "--format", "json", "a.topo"],
        {
            "a.topo": (
                "site s\n"
                + "".join(f"server h{i} {{ site s }}\n" for i in range(200_000))
                + "server z { site nowhere }\n"
            ).encode()
        },
        None,
    )
    yield (
        "long-line",
        "one line of 2,000,000 characters",
        ["check", "--format", "json", "a.topo"],
        {"a.topo": ("site s { role " + "x" * 2_000_000 + " }\n").encode()},
        None,
    )
    yield (
        "nested-braces",
        "50,000 nested braces, unclosed",
        ["check", "--format", "json", "a.topo"],
        {"a.topo": b"site s " + b"{" * 50_000},
        None,
    )
    yield (
        "range-bomb",
        "`w[1..999999999]`",
        ["check", "--format", "json", "a.topo"],
        {"a.topo": b"server w[1..999999999] { }\n"},
        None,
    )
    # The element limit filled with one kind each: twenty lines, two million
    # elements (the largest of each element's memory and work).
    for kind, line in (
        ("sites", "site a{i}x[1..100000]"),
        ("racks", "rack r{i}x[1..100000]"),
        ("feeds", "feed f{i}x[1..100000] {{ circuit 30A at 208V }}"),
        ("servers", "server s{i}x[1..100000]"),
        ("clients", "client c{i}x[1..100000] {{ browser }}"),
    ):
        text = "".join(line.format(i=i) + "\n" for i in range(1, 21))
        yield check_case(f"limit-{kind}", f"2,000,000 {kind} from twenty lines", text)
    services = "".join(f"service s{i}x[1..100000] on h\n" for i in range(1, 10))
    yield check_case(
        "limit-services",
        "900,000 services on one host (each also a reference)",
        "server h\nservice db on h\n" + services,
    )
    sites = "".join(f"site a{i}x[1..100000]\n" for i in range(1, 20)) + "site z[1..99994]\n"
    late = "".join(f"service ap{i} on h {{ calls db; pool db 40 }}\n" for i in range(1, 2001))
    yield check_case(
        "limit-spent",
        "2,000 statements past a used-up limit (1,999,994 sites, then services)",
        "server h\nservice db on h { max-connections 100 }\n" + sites + late,
    )
    gen = dc_1mb()
    if gen is not None:
        for view in ("system", "rack", "bus"):
            yield (
                f"render-{view}-1mb",
                f"`render --view {view}` of a generated 1 MB data centre",
                ["render", "dc.topo", "--view", view, "--format", "svg", "-o", "out.svg"],
                {"dc.topo": gen},
                None,
            )


def check_case(name, description, text):
    """A case that checks one file, `a.topo`, holding `text`."""
    return (name, description, ["check", "--format", "json", "a.topo"], {"a.topo": text.encode()}, None)


def dc_1mb():
    """A generated data centre of about 1 MB (1,900 racks), if cargo can make it."""
    try:
        return subprocess.run(
            ["cargo", "run", "--quiet", "--release", "--example", "gen_dc", "--", "--racks", "1900"],
            check=True,
            capture_output=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None


def limit_memory(limit):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def run_once(topo, argv, cwd, stdin, timeout, memory):
    """Wall seconds, peak RSS in bytes and exit code (or the signal's name)."""
    start = time.monotonic()
    proc = subprocess.Popen(
        [topo] + argv,
        cwd=cwd,
        preexec_fn=limit_memory(memory),
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if stdin is not None:
        try:
            proc.stdin.write(stdin)
            proc.stdin.close()
        except BrokenPipeError:
            pass
    deadline = start + timeout
    timed_out = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            timed_out = True
            break
        time.sleep(0.005)
    code = os.waitstatus_to_exitcode(status)
    if timed_out:
        code = "killed after the time-out"
    elif code < 0:
        code = signal.Signals(-code).name
    return time.monotonic() - start, usage.ru_maxrss * 1024, code


def human_size(n):
    if n >= MB:
        return f"{n / MB:.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:.0f} KiB"
    return f"{n} B"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topo", default="target/release/topo")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only")
    parser.add_argument("--timeout", type=float, default=60, help="seconds before a run is killed")
    parser.add_argument(
        "--memory", type=float, default=8, help="address-space limit of a run, in GiB"
    )
    args = parser.parse_args()
    topo = os.path.abspath(args.topo)
    print("| input | size | wall (median) | slowest | peak RSS | exit |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, what, argv, files, stdin in cases(None):
        if args.only and not name.startswith(args.only):
            continue
        work = tempfile.mkdtemp(prefix=f"topo-hostile-{name}-")
        try:
            size = 0
            for rel, content in files.items():
                path = os.path.join(work, rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                if content == "fifo":
                    os.mkfifo(path)
                    continue
                with open(path, "wb") as f:
                    f.write(content)
                size = max(size, len(content))
            if stdin is not None:
                size = len(stdin)
            runs = []
            for _ in range(args.runs):
                # fmt rewrites its input: every run starts from the same bytes.
                for rel, content in files.items():
                    if content != "fifo" and argv[0] == "fmt":
                        with open(os.path.join(work, rel), "wb") as f:
                            f.write(content)
                for leftover in ("out.topo", "out.svg"):
                    if os.path.exists(os.path.join(work, leftover)):
                        os.remove(os.path.join(work, leftover))
                runs.append(
                    run_once(topo, argv, work, stdin, args.timeout, int(args.memory * 1024 * MB))
                )
            walls = [r[0] for r in runs]
            rss = max(r[1] for r in runs)
            codes = sorted({r[2] for r in runs})
            print(
                f"| {what} | {human_size(size)} | {statistics.median(walls):.2f} s"
                f" | {max(walls):.2f} s | {rss / MB:.0f} MiB | {','.join(map(str, codes))} |",
                flush=True,
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
