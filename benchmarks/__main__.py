"""`make bench`: the goal-list pages under gunicorn with the production settings.

Builds (once) the city with two years of data (`seed_demo --scale city`, PostgreSQL given by
BENCH_DATABASE_URL), serves `config.settings.production` with gunicorn on 127.0.0.1, and
measures each page of the goal list (issue 12) at 1 and 8 concurrent clients with a bounded
number of requests. Prints p50/p95, the page's queries and its own SQL time (measured once
in-process), page/SQL ratio, gunicorn CPU per request and the goal with a pass/fail mark;
writes the table to benchmarks/RESULTS.md (``--label`` names the section).

Options: ``--scale demo`` (small data: what CI runs), ``--requests N`` (per client count,
default 40), ``--workers``/``--threads`` (gunicorn), ``--out PATH``, ``--no-write``.
Benchmarks are not tests: nothing here is asserted, goals are only reported.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass
class Case:
    name: str
    login: str  # a username, or "checkin" for the per-cadre check-in users
    url: str
    kind: str  # "cadre" or "office"
    method: str = "GET"
    goal: float | None = None  # seconds, median at 1 client (the apps' own cases)


# The goal list of issue 12: cadre pages p95 <= 150 ms at 8 clients and <= 3x their SQL;
# office city-wide pages p95 <= 400 ms at 1 client and <= 1.5 s at 8.
CASES = [
    Case("member home", "member", "/", "cadre"),
    Case("check-in POST", "checkin", "/attendance/checkin/", "cadre", "POST"),
    Case("own month", "member", "/attendance/", "cadre"),
    Case("to-visit list", "member", "/households/to-visit/", "cadre"),
    Case("leader month grid", "leader", "/attendance/team/", "cadre"),
    Case("leave inbox", "supervisor", "/attendance/inbox/", "cadre"),
    Case("city attendance compliance", "office", "/attendance/compliance/", "office"),
    Case("city visit coverage", "office", "/households/coverage/", "office"),
    Case("allowance summary", "office", "/attendance/allowance/", "office"),
    Case("unpaired poor", "office", "/households/unpaired/", "office"),
    Case("report status", "office", "/reports/reports/", "office"),
    Case("city cockpit", "office", "/dashboards/", "office"),
    # The team pages of issue 8 (median at one client).
    Case("team list, office, page 1", "office", "/teams/", "office", goal=0.5),
    Case("team list, office, search", "office", "/teams/?q=嘎查", "office", goal=0.5),
    Case("cadre list, office", "office", "/teams/cadres/", "office", goal=0.5),
    Case("village list, office", "office", "/teams/villages/", "office", goal=0.5),
    Case("team list, supervisor", "supervisor", "/teams/", "cadre", goal=0.5),
    Case("home, leader", "leader", "/", "cadre", goal=0.5),
]
GOALS = {"cadre": (None, 0.150, 3.0), "office": (0.400, 1.5, None)}


def _extra_cases() -> list[Case]:
    """Apps add their own cases in <app>/bench_cases.py as CASES: (name, login, url, goal in
    seconds). Their goal is the median at one client, as they were first written."""
    import importlib

    cases = []
    for app in ("attendance", "households", "reports", "assessments", "dashboards"):
        try:
            rows = importlib.import_module(f"{app}.bench_cases").CASES
        except ModuleNotFoundError:
            continue
        for name, login, url, goal in rows:
            kind = "office" if login == "office" else "cadre"
            cases.append(Case(name, login, url, kind, goal=goal))
    return cases


def _all_cases() -> list[Case]:
    return CASES + _extra_cases()


@dataclass
class Result:
    case: Case
    queries: int = 0
    sql_ms: float = 0.0
    runs: dict = field(default_factory=dict)  # concurrency -> (p50, p95, cpu_ms, rps)
    status: str = ""


def _env(args) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=args.database_url,
        SECRET_KEY=env.get("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789"),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        REDIS_URL=env.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        SECURE_SSL_REDIRECT="false",
        # Pages only: the bench issues no HSTS-bearing responses a browser keeps.
        SECURE_HSTS_SECONDS="0",
    )
    return env


def _setup_django(args) -> None:
    os.environ.update(_env(args))
    import django

    django.setup()


def _prepare(args) -> dict[str, str]:
    """Migrate and seed (skipped when present); a session cookie per login; check-in users."""
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from teams.models import Cadre, Membership

    started = time.perf_counter()
    # Production serves hashed static files through WhiteNoise: collect them first.
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", scale="demo", verbosity=0)
    if args.scale == "city":
        call_command("seed_demo", scale="city", verbosity=0)
    print(f"setup (migrate + seed, skipped when present): {time.perf_counter() - started:.1f}s")
    cookies = {}
    for username in {c.login for c in _all_cases() if c.login != "checkin"}:
        client = Client()
        client.force_login(User.objects.get(username=username))
        cookies[username] = client.cookies["sessionid"].value
    # Check-in users: one per cadre of a stationed team, so every POST is a real check-in.
    wanted = args.requests * 9
    cadres = list(
        Cadre.objects.filter(
            user__isnull=True,
            memberships__in=Membership.objects.current(timezone.localdate()).filter(
                team__status="active"
            ),
        )
        .distinct()
        .order_by("pk")[:wanted]
    )
    users = []
    for cadre in cadres:
        user, _ = User.objects.get_or_create(
            username=f"bench-checkin-{cadre.pk}", defaults={"full_name": cadre.name}
        )
        if cadre.user_id != user.pk:
            Cadre.objects.filter(pk=cadre.pk).update(user=user)
        users.append(user)
    users += list(
        User.objects.filter(username__startswith="bench-checkin-")[: wanted - len(users)]
    )
    for index, user in enumerate(users[:wanted]):
        client = Client()
        client.force_login(user)
        cookies[f"checkin-{index}"] = client.cookies["sessionid"].value
    return cookies


def _measure_sql(case: Case, cookies: dict) -> tuple[int, float, str]:
    """One request in-process (after a warm-up): queries and the SQL time they took."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    cookie = cookies.get(case.login) or cookies.get("checkin-0")
    client.cookies["sessionid"] = cookie
    if case.method == "POST":
        _reset_checkins()
        client.post(case.url, {"latitude": "", "longitude": ""})
        _reset_checkins()
    else:
        client.get(case.url)
    with CaptureQueriesContext(connection) as queries:
        if case.method == "POST":
            response = client.post(case.url, {"latitude": "", "longitude": ""})
        else:
            response = client.get(case.url)
    if case.method == "POST":
        _reset_checkins()
    sql = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    return len(queries), sql, str(response.status_code)


def _reset_checkins() -> None:
    from django.utils import timezone

    from attendance.models import AttendanceDay, CheckIn

    today = timezone.localdate()
    bench = {"cadre__user__username__startswith": "bench-checkin-", "date": today}
    CheckIn.objects.filter(**bench).delete()
    AttendanceDay.objects.filter(source="checkin", **bench).delete()


class Server:
    def __init__(self, args):
        self.port = _free_port()
        self.args = args
        self.log = open(ROOT / "var" / "bench-gunicorn.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=_env(args),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not start; see var/bench-gunicorn.log")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) of the gunicorn master and its workers."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in [self.proc.pid, *_children(self.proc.pid)]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _load(server: Server, case: Case, cookies: dict, clients: int, total: int):
    """``total`` requests spread over ``clients`` keep-alive connections."""
    timings: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def worker():
        conn = HTTPConnection("127.0.0.1", server.port, timeout=120)
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            cookie = (
                cookies[f"checkin-{index}"] if case.login == "checkin" else cookies[case.login]
            )
            headers = {"Cookie": f"sessionid={cookie}; csrftoken={'x' * 32}", "Host": "127.0.0.1"}
            body = None
            if case.method == "POST":
                body = urllib.parse.urlencode({"latitude": "", "longitude": ""})
                headers |= {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-CSRFToken": "x" * 32,
                }
            t0 = time.perf_counter()
            url = urllib.parse.quote(case.url, safe="/?=&%:+")
            conn.request(case.method, url, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - t0
            with lock:
                timings.append(elapsed)
                if response.status >= 400:
                    errors.append(str(response.status))
        conn.close()

    if case.method == "POST":
        _reset_checkins()
    cpu0, wall0 = server.cpu_seconds(), time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall, cpu = time.perf_counter() - wall0, server.cpu_seconds() - cpu0
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return p50, p95, cpu / total * 1000, total / wall, errors


def _verdict(result: Result) -> tuple[str, bool]:
    if result.case.goal is not None:
        p50_1 = result.runs[1][0]
        return f"p50@1 <= {result.case.goal * 1000:.0f} ms", p50_1 <= result.case.goal
    c1_goal, c8_goal, ratio_goal = GOALS[result.case.kind]
    p95_1, p95_8 = result.runs[1][1], result.runs[8][1]
    ok = p95_8 <= c8_goal
    text = f"p95@8 <= {c8_goal * 1000:.0f} ms"
    if c1_goal is not None:
        ok &= p95_1 <= c1_goal
        text = f"p95@1 <= {c1_goal * 1000:.0f} ms, " + text
    if ratio_goal is not None and result.sql_ms:
        ok &= result.runs[1][0] * 1000 <= ratio_goal * result.sql_ms
        text += f", page <= {ratio_goal:.0f}x SQL"
    return text, ok


def _machine(args) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version") if connection.vendor == "postgresql" else None
        server = cursor.fetchone()[0] if connection.vendor == "postgresql" else "SQLite"
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {mem_kb // 1024} MB RAM, {platform.platform()}; "
        f"Python {platform.python_version()}; database {connection.vendor} {server}; "
        f"gunicorn {args.workers} workers x {args.threads} threads on 127.0.0.1; "
        f"load average at start {load} (the machine is shared: figures are noisy)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--scale", choices=["demo", "city"], default="city")
    parser.add_argument("--requests", type=int, default=40, help="requests per client count")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--label", default="run")
    parser.add_argument("--only", default="", help="comma-separated substrings of case names")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS.md"))
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
        ),
    )
    args = parser.parse_args(argv)
    (ROOT / "var").mkdir(exist_ok=True)
    _setup_django(args)
    cookies = _prepare(args)
    machine = _machine(args)
    cases = [
        c for c in _all_cases() if not args.only or any(s in c.name for s in args.only.split(","))
    ]
    results = []
    for case in cases:
        result = Result(case)
        result.queries, result.sql_ms, result.status = _measure_sql(case, cookies)
        results.append(result)
    server = Server(args)
    try:
        for result in results:
            if result.status == "404":
                continue
            if result.case.method == "GET":  # every worker's first request is not timed
                _load(server, result.case, cookies, args.workers, args.workers * 2)
            for clients in (1, 8):
                total = args.requests if clients == 1 else args.requests * 2
                *figures, errors = _load(server, result.case, cookies, clients, total)
                result.runs[clients] = tuple(figures)
                if errors:
                    result.status += f" errors {sorted(set(errors))}"
    finally:
        server.stop()
    table = _table(results)
    print(machine)
    print(table)
    if not args.no_write:
        _write(Path(args.out), args, machine, table)
    return 0


def _table(results: list[Result]) -> str:
    lines = [
        "| page | c=1 p50 / p95 | c=8 p50 / p95 | queries | own SQL | page / SQL "
        "| CPU / request | req/s @8 | goal | pass |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if not r.runs:
            lines.append(f"| {r.case.name} | HTTP {r.status} (not in this branch) |||||||||")
            continue
        (p50_1, p95_1, _cpu_1, _), (p50_8, p95_8, cpu_8, rps_8) = r.runs[1], r.runs[8]
        goal, ok = _verdict(r)
        ratio = f"{p50_1 * 1000 / r.sql_ms:.1f}x" if r.sql_ms else "-"
        status = "" if r.status.startswith(("200", "302")) else f" ({r.status})"
        lines.append(
            f"| {r.case.name}{status} | {p50_1 * 1000:.0f} / {p95_1 * 1000:.0f} "
            f"| {p50_8 * 1000:.0f} / {p95_8 * 1000:.0f} | {r.queries} | {r.sql_ms:.1f} "
            f"| {ratio} | {cpu_8:.1f} ms | {rps_8:.0f} | {goal} | {'pass' if ok else 'FAIL'} |"
        )
    return "\n".join(lines)


def _write(path: Path, args, machine: str, table: str) -> None:
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    command = "python -m benchmarks " + " ".join(sys.argv[1:])
    section = (
        f"\n## {args.label} ({stamp})\n\n`{command.strip()}` ({args.scale} data)\n\n"
        f"Machine: {machine}.\n\n{table}\n"
    )
    header = "" if path.exists() else "# Benchmark results (`make bench`)\n"
    with path.open("a") as out:
        out.write(header + section)
    print(f"written to {path}")


if __name__ == "__main__":
    raise SystemExit(main())
