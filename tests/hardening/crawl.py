"""Every URL of the project with sample arguments taken from the demo city."""

from __future__ import annotations

import io
import re
import zipfile

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

# Our own apps; Django's admin, i18n and auth views are crawled by their own tests.
SKIP_PREFIXES = ("admin/", "i18n/", "accounts/logout/", "accounts/login/")

# URL name -> (model label, how to pick a row). A new URL with an id fails the crawl test
# until it gets a sample here, so no page escapes the crawl.
SAMPLES: dict[str, str] = {
    "teams:team_detail": "teams.Team",
    "teams:cadre_detail": "teams.Cadre",
    "teams:handover": "teams.Handover",
    "attendance:leave_detail": "attendance.LeaveRequest",
    "attendance:leave_action": "attendance.LeaveRequest",
    "households:household_detail": "households.Household",
    "households:household_edit": "households.Household",
    "households:member_create": "households.Household",
    "households:visit_create": "households.Household",
    "households:pair": "households.Household",
    "households:income_check": "households.Household",
    "households:zone_override": "households.Household",
    "households:visit_detail": "households.Visit",
    "households:photo": "households.VisitPhoto",
    "households:team_coverage": "teams.Team",
    "households:import_status": "households.RosterImport",
    "households:export_status": "core.ExportLog",
    "households:export_download": "core.ExportLog",
    "reports:ledger_detail": "reports.LedgerRecord",
    "reports:ledger_update": "reports.LedgerRecord",
    "reports:ledger_action": "reports.LedgerRecord",
    "reports:attachment": "reports.Attachment",
    "reports:errand_advance": "reports.Errand",
    "reports:feedback_detail": "reports.Feedback",
    "reports:report_detail": "reports.Report",
    "reports:export_detail": "core.ExportLog",
    "reports:export_download": "core.ExportLog",
    "teams:talk_record": "teams.Cadre",
    "teams:discipline_record": "teams.Cadre",
    "teams:rotation_request": "teams.Membership",
    "teams:rotation_detail": "teams.IndividualRotation",
    "attendance:sheet_pay": "attendance.AttendanceSheet",
    "assessments:assessment_detail": "assessments.Assessment",
    "assessments:propose": "assessments.Assessment",
    "assessments:calibrate": "assessments.Assessment",
    "assessments:assessment_step": "assessments.Assessment",
    "assessments:slips": "assessments.RatingRound",
    "assessments:adjustment_detail": "assessments.AdjustmentProposal",
    "assessments:dossier": "teams.Cadre",
}

ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9X](?![0-9])")


def all_routes() -> list[tuple[str, str]]:
    """(route, url name) for every pattern outside Django's own apps."""
    found = []

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if route.startswith(SKIP_PREFIXES):
                continue
            if isinstance(entry, URLResolver):
                ns = entry.namespace or namespace
                walk(entry.url_patterns, route, ns)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                found.append((route, name))

    walk(get_resolver().url_patterns, "", None)
    return found


def _model(label: str):
    return apps.get_model(label)


def urls_for(route: str, name: str, *, team) -> list[str]:
    """Concrete URLs for a route: a row near ``team`` (the demo leader's) and any other."""
    params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    if not params:
        return ["/" + route]
    if "team_id" in dict((p[1], p[0]) for p in params):
        today = __import__("datetime").date.today()
        out = []
        for year, month in ((today.year, today.month), (today.year, 1)):
            url = re.sub(r"<int:team_id>", str(team.pk), route)
            url = url.replace("<int:year>", str(year)).replace("<int:month>", str(month))
            for action in ("submit", "confirm", "issue", "reopen"):
                if "<slug:action>" in url:
                    out.append("/" + url.replace("<slug:action>", action))
            if "<slug:action>" not in url:
                out.append("/" + url)
        return out
    keys = {p[1] for p in params}
    if keys <= {"year", "step", "code"}:
        # Year pages (assessment), a step word and a one-time rating code: this year and
        # last, an unknown step, an unknown code.
        today = __import__("datetime").date.today()
        out = []
        for year in (today.year, today.year - 1):
            url = route.replace("<int:year>", str(year)).replace("<slug:step>", "x")
            out.append("/" + url.replace("<str:code>", "nocode"))
        return sorted(set(out))
    label = SAMPLES.get(name)
    if label is None:
        raise LookupError(f"No sample row for URL {name} ({route}); add one to SAMPLES")
    model = _model(label)
    rows = list(model.objects.order_by("pk")[:1]) + list(model.objects.order_by("-pk")[:1])
    near = _near_team(model, team)
    if near is not None:
        rows.insert(0, near)
    out = []
    for row in {r.pk: r for r in rows}.values():
        url = re.sub(r"<int:pk>", str(row.pk), route)
        url = re.sub(r"<(?:slug|str):(?:action|step)>", "x", url)
        out.append("/" + url)
    return out


def _near_team(model, team):
    for path in ("team", "village", "household__village", "cadre__memberships__team"):
        field = path.split("__")[0]
        try:
            model._meta.get_field(field)
        except Exception:
            continue
        value = team if path == "team" else team.village
        if path == "household__village":
            return model.objects.filter(household__village=team.village).first()
        if path == "cadre__memberships__team":
            return model.objects.filter(cadre__memberships__team=team).first()
        return model.objects.filter(**{path: value}).first()
    return None


def response_text(response) -> str:
    """The readable text of a page or an export (xlsx unzipped, other binaries ignored)."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type or body[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                return " ".join(
                    archive.read(n).decode("utf-8", "replace")
                    for n in archive.namelist()
                    if n.endswith(".xml")
                )
        except zipfile.BadZipFile:
            return ""
    if "text" in content_type or "json" in content_type:
        return body.decode("utf-8", "replace")
    return ""
