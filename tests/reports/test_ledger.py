"""The work ledger: each kind with its fields, attachments (R17), errands (R12), disputes
(R41), and scoping of every page for reads and writes."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.errors import DomainError, NotAllowed
from reports import selectors, services
from reports.models import CaseStatus, Errand, ErrandStatus, LedgerKind, LedgerRecord
from tests import factories
from tests.reports.factories import LedgerRecordFactory

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def test_r10_leader_records_a_study_session_with_notes_attendees_and_a_photo(client, team):
    leader = factories.leader_of(team)
    cadres = [m.cadre for m in team.memberships.all()]
    client.force_login(leader)
    response = client.post(
        reverse("reports:ledger_create") + "?kind=study",
        {
            "team": team.pk,
            "date": "2026-03-05",
            "title": "学习党的二十大精神",
            "text": "集体学习笔记",
            "participants": [c.pk for c in cadres],
            "files": [SimpleUploadedFile("photo.png", PNG, content_type="image/png")],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = LedgerRecord.objects.get(title="学习党的二十大精神")
    assert record.kind == LedgerKind.STUDY
    assert record.participants.count() == len(cadres)
    attachment = record.attachments.get()
    assert attachment.is_image
    assert client.get(attachment.get_absolute_url()).status_code == 200


def test_r30_practical_project_needs_the_village_total(team):
    leader = factories.leader_of(team)
    with pytest.raises(DomainError):
        services.ledger_record_create(
            user=leader,
            team=team,
            data={"kind": LedgerKind.PRACTICAL, "date": date(2026, 5, 1), "title": "饮水工程"},
        )


def test_r16_research_report_names_a_cadre_of_the_team(team, other_team):
    leader = factories.leader_of(team)
    outsider = other_team.memberships.first().cadre
    with pytest.raises(DomainError):
        services.ledger_record_create(
            user=leader,
            team=team,
            data={
                "kind": LedgerKind.RESEARCH,
                "date": date(2026, 5, 1),
                "title": "调研",
                "cadre": outsider,
            },
        )


def test_only_the_teams_cadres_record_its_work(team, other_team):
    with pytest.raises(NotAllowed):
        services.ledger_record_create(
            user=factories.leader_of(other_team),
            team=team,
            data={"kind": LedgerKind.DIARY, "date": date(2026, 5, 1), "title": "日记"},
        )


def test_r12_errand_goes_from_accepted_to_done(team):
    member = factories.a_member_of(team)
    day = LedgerRecordFactory(team=team, kind=LedgerKind.SERVICE_DAY)
    errand = services.errand_create(
        user=member,
        team=team,
        service_day=day,
        requester="王大妈",
        description="代办医保报销",
        accepted_on=date(2026, 3, 10),
    )
    assert errand.status == ErrandStatus.ACCEPTED
    assert list(selectors.open_errands(team)) == [errand]
    services.errand_advance(user=member, errand=errand)
    services.errand_advance(user=member, errand=errand, result="已报销")
    errand.refresh_from_db()
    assert errand.status == ErrandStatus.DONE and errand.done_on
    assert not selectors.open_errands(team).exists()
    with pytest.raises(DomainError):
        services.errand_advance(user=member, errand=errand)


def test_r41_dispute_goes_from_reported_to_resolved(team):
    member = factories.a_member_of(team)
    dispute = services.ledger_record_create(
        user=member,
        team=team,
        data={"kind": LedgerKind.DISPUTE, "date": date(2026, 6, 1), "title": "草场边界纠纷"},
    )
    assert dispute.case_status == CaseStatus.REPORTED
    assert selectors.open_disputes(team).count() == 1
    services.dispute_advance(user=member, record=dispute)
    services.dispute_advance(user=member, record=dispute)
    assert dispute.case_status == CaseStatus.RESOLVED and dispute.resolved_on
    assert not selectors.open_disputes(team).exists()


@pytest.mark.parametrize("kind", LedgerKind.values)
def test_every_kind_has_a_form_page(client, team, kind):
    client.force_login(factories.leader_of(team))
    response = client.get(reverse("reports:ledger_create") + f"?kind={kind}")
    assert response.status_code == 200


def test_ledger_pages_are_scoped_for_reads_and_writes(client, team, other_team):
    theirs = LedgerRecordFactory(team=other_team, kind=LedgerKind.SERVICE_DAY)
    client.force_login(factories.leader_of(team))
    assert client.get(theirs.get_absolute_url()).status_code == 404
    url = reverse("reports:ledger_action", args=[theirs.pk, "errand"])
    response = client.post(
        url, {"requester": "x", "description": "y", "accepted_on": "2026-03-01"}
    )
    assert response.status_code == 404
    assert not Errand.objects.exists()
    listing = client.get(reverse("reports:ledger_list")).content.decode()
    assert theirs.title not in listing


def test_supervisor_reads_but_cannot_record(client, team):
    record = LedgerRecordFactory(team=team)
    supervisor = factories.supervisor_of(team)
    client.force_login(supervisor)
    assert client.get(record.get_absolute_url()).status_code == 200
    assert client.get(reverse("reports:ledger_create") + "?kind=study").status_code == 403


def test_attachments_of_another_team_are_not_served(client, team, other_team):
    record = LedgerRecordFactory(team=other_team)
    attachment = services.attachment_add(
        user=factories.leader_of(other_team),
        record=record,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4", content_type="application/pdf"),
    )
    client.force_login(factories.leader_of(team))
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_ledger_list_query_count_is_flat(client, office, django_assert_max_num_queries):
    for _ in range(30):
        LedgerRecordFactory(team=factories.TeamFactory())
    client.force_login(office)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("reports:ledger_list")).status_code == 200


def test_compliance_page_for_office_and_leader(
    client, office, team, django_assert_max_num_queries
):
    for _ in range(10):
        factories.staffed_team()
    client.force_login(office)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("reports:compliance") + "?period=2026Q1")
    assert 'data-testid="compliance-rollup"' in page.content.decode()
    client.force_login(factories.leader_of(team))
    page = client.get(reverse("reports:compliance")).content.decode()
    assert team.name in page
    assert "compliance-rollup" not in page


def test_reports_home_renders_for_each_role(client, team, office):
    for user in (factories.leader_of(team), factories.supervisor_of(team), office):
        client.force_login(user)
        assert client.get(reverse("reports:home")).status_code == 200
        assert client.get(reverse("home")).status_code == 200


def test_errand_of_another_team_cannot_be_advanced(client, team, other_team):
    errand = services.errand_create(
        user=factories.leader_of(other_team),
        team=other_team,
        requester="甲",
        description="代办",
        accepted_on=date(2026, 3, 1),
    )
    client.force_login(factories.leader_of(team))
    response = client.post(reverse("reports:errand_advance", args=[errand.pk]))
    assert response.status_code == 404
    errand.refresh_from_db()
    assert errand.status == ErrandStatus.ACCEPTED


def test_supervisor_cannot_advance_an_errand_of_their_team(client, team):
    errand = services.errand_create(
        user=factories.leader_of(team),
        team=team,
        requester="甲",
        description="代办",
        accepted_on=date(2026, 3, 1),
    )
    client.force_login(factories.supervisor_of(team))
    assert client.post(reverse("reports:errand_advance", args=[errand.pk])).status_code == 403


def test_compliance_of_another_team_is_not_shown(client, team, other_team):
    client.force_login(factories.leader_of(team))
    page = client.get(reverse("reports:compliance") + f"?team={other_team.pk}").content.decode()
    assert other_team.name not in page


def test_dispute_of_another_team_cannot_be_advanced(client, team, other_team):
    dispute = LedgerRecordFactory(
        team=other_team, kind=LedgerKind.DISPUTE, case_status=CaseStatus.REPORTED
    )
    client.force_login(factories.leader_of(team))
    url = reverse("reports:ledger_action", args=[dispute.pk, "dispute"])
    assert client.post(url).status_code == 404


def test_svg_uploads_are_downloaded_not_shown_inline(team):
    """Issue 11 (finding 4): content is checked now, and a scriptable SVG is refused."""
    record = LedgerRecordFactory(team=team)
    with pytest.raises(DomainError, match="accepted kind|可接受"):
        services.attachment_add(
            user=factories.leader_of(team),
            record=record,
            upload=SimpleUploadedFile(
                "x.svg", b"<svg onload=alert(1)>", content_type="image/svg+xml"
            ),
        )
    assert not record.attachments.exists()


def test_attachment_size_is_a_policy(team):
    from teams.models import Policy

    Policy.objects.create(key="attachment_max_mb", value=1, effective_from=date(2026, 1, 1))
    record = LedgerRecordFactory(team=team)
    with pytest.raises(DomainError):
        services.attachment_add(
            user=factories.leader_of(team),
            record=record,
            upload=SimpleUploadedFile("big.jpg", b"0" * (1024 * 1024 + 1)),
        )


def test_team_cadre_corrects_a_record_and_others_cannot(client, team, other_team):
    # Issue 11 (finding 8): only the author or the leader edits, so the member authors it.
    author = factories.a_member_of(team)
    record = LedgerRecordFactory(
        team=team, kind=LedgerKind.STUDY, title="旧标题", created_by=author
    )
    url = reverse("reports:ledger_update", args=[record.pk])
    client.force_login(factories.leader_of(other_team))
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "x", "date": "2026-03-10"}).status_code == 404
    client.force_login(factories.supervisor_of(team))
    assert client.post(url, {"title": "x", "date": "2026-03-10"}).status_code == 403
    client.force_login(author)
    response = client.post(
        url, {"team": team.pk, "title": "新标题", "date": "2026-03-11", "text": "补充"}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.title, record.date, record.kind) == ("新标题", date(2026, 3, 11), "study")


@pytest.mark.parametrize("name", ["reports:feedback_list", "reports:errand_list", "reports:home"])
def test_office_lists_have_flat_query_counts(client, office, name, django_assert_max_num_queries):
    from tests.reports.factories import FeedbackFactory

    for _ in range(15):
        team = factories.TeamFactory()
        FeedbackFactory(team=team, category="good_practice")
        Errand.objects.create(
            team=team, requester="甲", description="代办", accepted_on=date(2026, 3, 1)
        )
    client.force_login(office)
    with django_assert_max_num_queries(16):
        assert client.get(reverse(name)).status_code == 200
