"""No way around the rules in the admin (issue 10): a governed field, one that an ENFORCE or
ROUTE rule's service writes, is never a plain editable admin field. Each admin either shows
it read-only or names it in ``service_fields``, meaning its form validates through the
service and its ``save_model``/formset saves through it."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from tests import factories

pytestmark = pytest.mark.django_db

# model label -> fields that only a service (workflow) writes, with the rule it serves.
GOVERNED = {
    "teams.team": {"status", "term_end", "activated_at", "ended_on"},  # R1-R4, R7, R8
    "teams.unitpairing": {"end_date"},  # R7
    "teams.cadre": {"selection_status", "selection_reviewed_by", "selection_reviewed_at"},  # R4
    "teams.membership": {"team", "cadre", "role", "start_date", "end_date"},  # R1, R3, R4
    "teams.handover": {
        "outgoing_confirmed_by",
        "outgoing_confirmed_at",
        "incoming_confirmed_by",
        "incoming_confirmed_at",
        "waived_by",
        "waived_at",
        "carried_over_at",
    },  # R8
    "teams.handoveritem": {"done", "note"},  # R8
    "teams.individualrotation": {"status", "outgoing", "replacement", "incoming"},  # R9
    "teams.selectionreview": {"decision", "reason"},  # R4
    "attendance.checkin": {"date", "at", "cadre", "team", "flag"},  # R23
    "attendance.attendanceday": {"status"},  # R23
    "attendance.attendancesheet": {"status"},  # R34
    "attendance.leaverequest": {"status", "pending_with"},  # R21
    "attendance.leavestep": {"action"},  # R21
    "reports.report": {"status", "submitted_at", "reviewed_at", "review_comment"},  # R19
    "reports.reportevent": {"action"},  # R19
    "reports.errand": {"status", "done_on"},  # R12
    "reports.ledgerrecord": {"case_status", "resolved_on"},  # R41
    "reports.feedback": {"status"},  # R18
    "households.household": {"zone"},  # R27
    "households.zonechange": {"to_zone"},  # R27
    "households.pairing": {"cadre", "household", "end_date"},  # R33
}


def _editable(model_admin, request, obj) -> set[str]:
    form = model_admin.get_form(request, obj)
    return set(form.base_fields)


def _inline_editable(inline, request, obj) -> set[str]:
    if not (inline.has_add_permission(request, obj) or inline.has_change_permission(request, obj)):
        return set()
    return set(inline.get_formset(request, obj).form.base_fields) - {"DELETE", "id"}


def _walk():
    request = RequestFactory().get("/admin/")
    request.user = factories.UserFactory(is_staff=True, is_superuser=True)
    found = []
    for model, model_admin in admin.site._registry.items():
        for obj in (None, model(pk=1)):
            allowed = (
                model_admin.has_add_permission(request)
                if obj is None
                else (model_admin.has_change_permission(request, obj))
            )
            checks = []
            if allowed:
                checks.append((model, model_admin, _editable(model_admin, request, obj)))
            for inline in model_admin.get_inline_instances(request, obj):
                checks.append((inline.model, inline, _inline_editable(inline, request, obj)))
            for checked_model, owner, editable in checks:
                governed = GOVERNED.get(checked_model._meta.label_lower, set())
                loose = (editable & governed) - set(getattr(owner, "service_fields", ()))
                if loose:
                    found.append((type(owner).__name__, "add" if obj is None else "change", loose))
    return found


def test_every_admin_leaves_governed_fields_to_their_service():
    assert _walk() == []


def test_the_walk_would_catch_a_plain_editable_status(monkeypatch):
    from reports.admin import ErrandAdmin

    monkeypatch.setattr(ErrandAdmin, "readonly_fields", ())
    assert any(name == "ErrandAdmin" for name, _, _ in _walk())
