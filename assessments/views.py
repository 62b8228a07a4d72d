"""Thin views: parse input, call one service or selector, render (R37, R38, R48, Art 13)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from accounts.errors import DomainError
from accounts.mixins import RoleRequiredMixin
from accounts.roles import get_roles
from assessments import exports, selectors, services
from assessments.figure_labels import labelled
from assessments.models import (
    CaseKind,
    IndicatorSource,
    Kind,
    RatingRound,
    RatingSlip,
    RecommendationKind,
    Stars,
    Status,
    WorkSummary,
)
from core.exports import export_logged
from core.params import int_param
from teams.models import Cadre

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class OfficeOnlyMixin(RoleRequiredMixin):
    def allows(self, roles) -> bool:
        return roles.is_office


def _download(name: str, content: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _run(request, service, success: str, **kwargs) -> bool:
    """Call a service; a refusal becomes a message the user reads on the next page."""
    try:
        service(**kwargs)
    except DomainError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


def _back(request, default: str) -> str:
    """The page the form came from, when it is one of ours; never an outside address."""
    back = request.POST.get("back", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return default


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError):
        return None


class HomeView(RoleRequiredMixin, View):
    def get(self, request):
        roles = get_roles(request.user)
        return render(
            request,
            "assessments/home.html",
            {
                "plans": list(selectors.plans()),
                "current": selectors.current_plan(),
                "overdue": list(selectors.overdue_adjustments(user=request.user))
                if roles.is_office
                else [],
                "open_adjustments": list(selectors.adjustments(user=request.user, open_only=True)),
            },
        )


class AnnualTableView(RoleRequiredMixin, View):
    """Where every cadre stands: supervisors propose, the office calibrates (R37)."""

    paginate_by = 100

    def get(self, request, year):
        plan = selectors.plan_for_year(year)
        kind = request.GET.get("kind") if request.GET.get("kind") in Kind.values else Kind.ANNUAL
        rows = selectors.annual_rows(
            user=request.user,
            plan=plan,
            kind=kind,
            team_id=int_param(request.GET.get("team")),
            status=request.GET.get("status", ""),
            search=request.GET.get("q", "").strip(),
        )
        page = Paginator(rows, self.paginate_by).get_page(request.GET.get("page"))
        roles = get_roles(request.user)
        grades = list(plan.grades.all())
        counts = selectors.status_counts(user=request.user, plan=plan, kind=kind)
        return render(
            request,
            "assessments/annual_table.html",
            {
                "plan": plan,
                "kind": kind,
                "kinds": Kind.choices,
                "page_obj": page,
                "rows": page.object_list,
                "grades": grades,
                "statuses": Status.choices,
                "counts": [(label, counts.get(value, 0)) for value, label in Status.choices],
                "quota": services.excellent_quota(plan=plan, kind=kind),
                "is_office": roles.is_office,
                "supervised_group_ids": roles.supervision_group_ids,
                "term_teams": list(selectors.supervised_teams(user=request.user, plan=plan))
                if roles.is_office and kind == Kind.END_OF_TERM
                else [],
            },
        )


class ProposeView(RoleRequiredMixin, View):
    def post(self, request, pk):
        assessment = selectors.assessment_detail(user=request.user, pk=pk)
        grade = get_object_or_404(assessment.plan.grades, pk=int_param(request.POST.get("grade")))
        _run(
            request,
            services.grade_propose,
            _("Proposed %(grade)s for %(name)s.")
            % {"grade": grade.name, "name": assessment.cadre.name},
            assessment=assessment,
            grade=grade,
            by=request.user,
            comment=request.POST.get("comment", ""),
        )
        return redirect(_back(request, assessment.get_absolute_url()))


class CalibrateView(OfficeOnlyMixin, View):
    def post(self, request, pk):
        assessment = selectors.assessment_detail(user=request.user, pk=pk)
        grade = get_object_or_404(assessment.plan.grades, pk=int_param(request.POST.get("grade")))
        _run(
            request,
            services.grade_calibrate,
            _("%(name)s: %(grade)s.") % {"grade": grade.name, "name": assessment.cadre.name},
            assessment=assessment,
            grade=grade,
            by=request.user,
            comment=request.POST.get("comment", ""),
        )
        return redirect(_back(request, assessment.get_absolute_url()))


class PlanStepView(OfficeOnlyMixin, View):
    """Begin, recompute, decide, file, publish, send recommendations: one POST each."""

    def post(self, request, year, step):
        plan = selectors.plan_for_year(year)
        post, user = request.POST, request.user
        steps = {
            "begin": (services.assessment_begin, _("Assessment begun."), {}),
            "compute": (
                services.scores_compute_later,
                _("The scores are being recomputed; reload the page in a minute."),
                {},
            ),
            "decide": (
                services.results_decide,
                _("The leading group's decision is recorded."),
                {"meeting": post.get("meeting", ""), "kind": Kind.ANNUAL},
            ),
            "file": (
                services.results_file,
                _("Filed with the organization department."),
                {"reference": post.get("reference", "")},
            ),
            "publish": (services.results_publish, _("Results published city-wide."), {}),
            "send": (
                services.recommendations_send,
                _("The recommendation list was sent to the units."),
                {},
            ),
        }
        team = None
        if post.get("team"):
            team = get_object_or_404(
                selectors.supervised_teams(user=user, plan=plan), pk=int_param(post.get("team"))
            )
        if step == "term" and team is not None:
            _run(
                request,
                services.end_of_term_begin,
                _("End-of-term assessment begun for %(team)s.") % {"team": team.name},
                plan=plan,
                team=team,
                by=user,
            )
            return redirect(reverse("assessments:annual", args=[plan.year]) + "?kind=term")
        if step == "decide" and team is not None:
            steps["decide"][2].update(kind=Kind.END_OF_TERM, team=team)
        if step not in steps:
            raise Http404
        service, success, kwargs = steps[step]
        if step != "compute":
            kwargs["by"] = user
        _run(request, service, success, plan=plan, **kwargs)
        if team is not None:
            return redirect(reverse("assessments:annual", args=[plan.year]) + "?kind=term")
        return redirect("assessments:annual", year=plan.year)


class ResultsExportView(OfficeOnlyMixin, View):
    """R37: the filing workbook."""

    def get(self, request, year):
        plan = selectors.plan_for_year(year)
        rows = list(selectors.results_export_rows(user=request.user, plan=plan))
        export_logged(
            user=request.user,
            app="assessments",
            kind="assessment_results",
            params={"year": year},
            row_count=len(rows),
        )
        return _download(f"assessment-{year}.xlsx", exports.results_workbook(plan, rows), XLSX)


class PublishedView(RoleRequiredMixin, View):
    """R37: published results, which every user may read."""

    def get(self, request, year):
        plan = selectors.plan_for_year(year)
        if not plan.is_published:
            raise Http404
        rows = selectors.published_rows(plan=plan)
        page = Paginator(rows, 200).get_page(request.GET.get("page"))
        return render(
            request,
            "assessments/published.html",
            {"plan": plan, "page_obj": page, "rows": page.object_list},
        )


class CircularView(RoleRequiredMixin, View):
    """R37: the printable circular (通报): print-styled HTML, or Word with ?format=docx."""

    def get(self, request, year):
        plan = selectors.plan_for_year(year)
        if not plan.is_published:
            raise Http404
        rows = list(selectors.published_rows(plan=plan))
        if request.GET.get("format") == "docx":
            export_logged(
                user=request.user,
                app="assessments",
                kind="assessment_circular",
                params={"year": year},
                row_count=len(rows),
            )
            return _download(f"circular-{year}.docx", exports.circular_docx(plan, rows), DOCX)
        return render(request, "assessments/circular.html", {"plan": plan, "rows": rows})


class RecommendationListView(RoleRequiredMixin, View):
    """R38: the commendation and promotion list; the office sends it to the units."""

    def get(self, request, year):
        plan = selectors.plan_for_year(year)
        return render(
            request,
            "assessments/recommendations.html",
            {"plan": plan, "rows": list(selectors.recommendations(user=request.user, plan=plan))},
        )


class AssessmentDetailView(RoleRequiredMixin, View):
    def get(self, request, pk):
        assessment = selectors.assessment_detail(user=request.user, pk=pk)
        roles = get_roles(request.user)
        # Publication shows everyone the grade; the working papers stay with those who
        # saw the result before it (the cadre, unit, supervisors, area, office).
        full = selectors.sees_working_papers(user=request.user, assessment=assessment)
        indicators = list(assessment.plan.indicators.all()) if full else []
        parts = [
            (i, assessment.indicator_scores.get(i.code, {}), _records_url(i, assessment))
            for i in indicators
        ]
        return render(
            request,
            "assessments/assessment_detail.html",
            {
                "assessment": assessment,
                "parts": parts,
                "grades": list(assessment.plan.grades.all()),
                "veto_items": list(assessment.plan.veto_items.all()),
                "is_office": roles.is_office,
                "can_supervise": services.can_supervise(request.user, assessment.team),
                "recommendation_kinds": RecommendationKind.choices,
                "full": full,
                "summary": WorkSummary.objects.filter(
                    plan=assessment.plan, cadre=assessment.cadre
                ).first()
                if full
                else None,
            },
        )


def _records_url(indicator, assessment) -> str:
    """Where the records behind a computed figure are listed (R37: each figure links to
    its records)."""
    if indicator.source != IndicatorSource.COMPUTED:
        return ""
    namespace = indicator.figure_key.split(".", 1)[0]
    team_id, year = assessment.team_id, assessment.plan.year
    month = 12 if year < timezone.localdate().year else timezone.localdate().month
    if namespace == "attendance":
        return reverse("attendance:team_month", args=[team_id, year, month])
    if namespace == "households":
        return reverse("households:team_coverage", args=[team_id])
    if namespace == "reports":
        return (
            reverse("reports:report_list")
            if "report" in indicator.figure_key
            else (reverse("reports:ledger_list"))
        )
    return ""


class AssessmentStepView(RoleRequiredMixin, View):
    """Reopen, veto, recommend, propose an adjustment: one POST each."""

    def post(self, request, pk, step):
        assessment = selectors.assessment_detail(user=request.user, pk=pk)
        post, user = request.POST, request.user
        if step == "reopen":
            _run(
                request,
                services.assessment_reopen,
                _("Reopened."),
                assessment=assessment,
                by=user,
                reason=post.get("reason", ""),
            )
        elif step == "veto":
            item = get_object_or_404(assessment.plan.veto_items, pk=int_param(post.get("item")))
            _run(
                request,
                services.veto_record,
                _("Veto finding recorded."),
                assessment=assessment,
                item=item,
                note=post.get("note", ""),
                evidence_url=post.get("evidence_url", ""),
                by=user,
            )
        elif step == "summary":
            summary = get_object_or_404(WorkSummary, plan=assessment.plan, cadre=assessment.cadre)
            score = _decimal(post.get("score"))
            if score is None:
                messages.error(request, _("Enter a score from 0 to 100."))
            else:
                _run(
                    request,
                    services.work_summary_score,
                    _("Saved."),
                    summary=summary,
                    score=score,
                    by=user,
                )
        elif step == "recommend":
            _run(
                request,
                services.recommendation_add,
                _("Added to the recommendation list."),
                assessment=assessment,
                kind=post.get("kind", ""),
                reason=post.get("reason", ""),
                by=user,
            )
        elif step == "adjust":
            deadline = post.get("deadline", "")
            try:
                deadline = date.fromisoformat(deadline) if deadline else None
            except ValueError:
                deadline = None
            ok = _run(
                request,
                services.adjustment_propose,
                _("Adjustment proposal sent to the unit."),
                cadre=assessment.cadre,
                team=assessment.team,
                assessment=assessment,
                reason=post.get("reason", ""),
                deadline=deadline,
                by=user,
            )
            if ok:
                return redirect("assessments:adjustment_list")
        else:
            raise Http404
        return redirect(assessment.get_absolute_url())


class RoutineView(RoleRequiredMixin, View):
    """R37 routine assessment: the supervision group scores each team each quarter."""

    def allows(self, roles) -> bool:
        return roles.is_office or roles.is_supervisor

    def get(self, request, year):
        plan = selectors.plan_for_year(year)
        teams = list(selectors.supervised_teams(user=request.user, plan=plan))
        scores = {
            (row.team_id, row.quarter): row for row in plan.routine_scores.filter(team__in=teams)
        }
        table = [(team, [scores.get((team.pk, q)) for q in range(1, 5)]) for team in teams]
        return render(
            request,
            "assessments/routine.html",
            {"plan": plan, "table": table, "quarters": range(1, 5)},
        )

    def post(self, request, year):
        plan = selectors.plan_for_year(year)
        team = get_object_or_404(
            selectors.supervised_teams(user=request.user, plan=plan),
            pk=int_param(request.POST.get("team")),
        )
        score = _decimal(request.POST.get("score"))
        if score is None:
            messages.error(request, _("Enter a score from 0 to 100."))
        else:
            _run(
                request,
                services.routine_score_set,
                _("Saved."),
                plan=plan,
                team=team,
                quarter=int_param(request.POST.get("quarter")) or 0,
                score=score,
                comment=request.POST.get("comment", ""),
                by=request.user,
            )
        return redirect("assessments:routine", year=year)


class WorkSummaryView(RoleRequiredMixin, View):
    """述职: the cadre writes the year's summary next to their own figures."""

    def allows(self, roles) -> bool:
        return roles.is_cadre

    def get(self, request, year):
        plan = selectors.plan_for_year(year)
        cadre = get_object_or_404(Cadre, pk=get_roles(request.user).cadre_id)
        figures, _team = services.year_figures(plan=plan, cadre_ids=[cadre.pk], team_ids=[])
        summary = WorkSummary.objects.filter(plan=plan, cadre=cadre).first()
        return render(
            request,
            "assessments/summary.html",
            {
                "plan": plan,
                "cadre": cadre,
                "figures": labelled(figures[cadre.pk]),
                "summary": summary,
            },
        )

    def post(self, request, year):
        plan = selectors.plan_for_year(year)
        cadre = get_object_or_404(Cadre, pk=get_roles(request.user).cadre_id)
        _run(
            request,
            services.work_summary_submit,
            _("Your work summary is saved."),
            plan=plan,
            cadre=cadre,
            text=request.POST.get("text", ""),
            by=request.user,
        )
        return redirect("assessments:summary", year=year)


class RatingRoundsView(RoleRequiredMixin, View):
    """R37 villagers' rating: rounds of the supervised teams; open one for a team."""

    def allows(self, roles) -> bool:
        return roles.is_office or roles.is_supervisor

    def get(self, request, year):
        plan = selectors.plan_for_year(year)
        rounds = list(selectors.rating_rounds(user=request.user, plan=plan))
        results = services.rating_results(plan=plan, team_ids=[r.team_id for r in rounds])
        for rating_round in rounds:
            rating_round.result = results.get(rating_round.team_id)
        have = {r.team_id for r in rounds}
        teams = [
            t for t in selectors.supervised_teams(user=request.user, plan=plan) if t.pk not in have
        ]
        return render(
            request,
            "assessments/rating_rounds.html",
            {"plan": plan, "rounds": rounds, "teams": teams},
        )

    def post(self, request, year):
        plan = selectors.plan_for_year(year)
        team = get_object_or_404(
            selectors.supervised_teams(user=request.user, plan=plan),
            pk=int_param(request.POST.get("team")),
        )
        _run(
            request,
            services.rating_round_open,
            _("Rating opened; print the slips."),
            plan=plan,
            team=team,
            by=request.user,
        )
        return redirect("assessments:rating_rounds", year=year)


class SlipsView(RoleRequiredMixin, View):
    """Printable numbered slips with QR codes; paper slips typed in below."""

    def allows(self, roles) -> bool:
        return roles.is_office or roles.is_supervisor

    def _round(self, request, pk) -> RatingRound:
        return get_object_or_404(
            RatingRound.objects.visible_to(request.user).select_related("plan", "team__village"),
            pk=pk,
        )

    def get(self, request, pk):
        from assessments.qr import qr_svg

        rating_round = self._round(request, pk)
        slips = list(rating_round.slips.all())
        for slip in slips:
            slip.url = request.build_absolute_uri(reverse("assessments:rate", args=[slip.code]))
            slip.svg = qr_svg(slip.url)
        return render(
            request,
            "assessments/slips.html",
            {"round": rating_round, "slips": slips, "stars": Stars.choices},
        )

    def post(self, request, pk):
        rating_round = self._round(request, pk)
        if "close" in request.POST:
            _run(
                request,
                services.rating_round_close,
                _("Rating closed."),
                rating_round=rating_round,
                by=request.user,
            )
        else:
            _run(
                request,
                services.rating_paper_enter,
                _("Paper slip entered."),
                rating_round=rating_round,
                number=int_param(request.POST.get("number")) or 0,
                stars=int_param(request.POST.get("stars")) or 0,
                by=request.user,
            )
        return redirect("assessments:slips", pk=pk)


@method_decorator(never_cache, name="dispatch")
class PublicRatingView(View):
    """The villager's phone page: no login; it stores only the stars, never who or where."""

    def _slip(self, code):
        return get_object_or_404(
            RatingSlip.objects.select_related("round__team__village", "round__plan"), code=code
        )

    def get(self, request, code):
        slip = self._slip(code)
        return render(
            request, "assessments/public_rating.html", {"slip": slip, "stars": Stars.choices}
        )

    def post(self, request, code):
        slip = self._slip(code)
        try:
            services.rating_submit(code=code, stars=int_param(request.POST.get("stars")) or 0)
        except DomainError as error:
            return render(
                request,
                "assessments/public_rating.html",
                {"slip": slip, "stars": Stars.choices, "error": error.message},
                status=400,
            )
        return render(request, "assessments/public_rating.html", {"slip": slip, "thanks": True})


class VillageReviewView(RoleRequiredMixin, View):
    """嘎查村干部评议: village staff rate the teams of their village."""

    def allows(self, roles) -> bool:
        return bool(roles.village_ids)

    def _teams(self, request, plan):
        from teams.models import Team

        return (
            Team.objects.filter(village_id__in=get_roles(request.user).village_ids)
            .exclude(status="forming")
            .filter(term_start__lte=date(plan.year, 12, 31), term_end__gte=date(plan.year, 1, 1))
        )

    def get(self, request, year):
        plan = selectors.plan_for_year(year)
        teams = list(self._teams(request, plan))
        mine = {
            r.team_id: r
            for r in plan.village_reviews.filter(reviewer=request.user, team__in=teams)
        }
        return render(
            request,
            "assessments/village_review.html",
            {
                "plan": plan,
                "rows": [(team, mine.get(team.pk)) for team in teams],
                "stars": Stars.choices,
            },
        )

    def post(self, request, year):
        plan = selectors.plan_for_year(year)
        team = get_object_or_404(
            self._teams(request, plan), pk=int_param(request.POST.get("team"))
        )
        _run(
            request,
            services.village_review_submit,
            _("Thank you; your review is saved."),
            plan=plan,
            team=team,
            stars=int_param(request.POST.get("stars")) or 0,
            comment=request.POST.get("comment", ""),
            by=request.user,
        )
        return redirect("assessments:village_review", year=year)


class AdjustmentListView(RoleRequiredMixin, View):
    def get(self, request):
        rows = list(selectors.adjustments(user=request.user))
        today = timezone.localdate()
        return render(request, "assessments/adjustment_list.html", {"rows": rows, "today": today})


class AdjustmentDetailView(RoleRequiredMixin, View):
    """R48: the unit reads the proposal and names the replacement (R9 rotation)."""

    def get(self, request, pk):
        proposal = selectors.adjustment_detail(user=request.user, pk=pk)
        can_name = services.can_name_replacement(request.user, proposal)
        candidates = (
            Cadre.objects.filter(unit_id=proposal.cadre.unit_id, selection_status="approved")
            .exclude(pk=proposal.cadre_id)
            .order_by("name")
            if can_name
            else Cadre.objects.none()
        )
        return render(
            request,
            "assessments/adjustment_detail.html",
            {
                "proposal": proposal,
                "can_name": can_name and proposal.status == "open",
                "candidates": candidates,
                "today": timezone.localdate(),
            },
        )

    def post(self, request, pk):
        proposal = selectors.adjustment_detail(user=request.user, pk=pk)
        replacement = get_object_or_404(
            Cadre.objects.filter(unit_id=proposal.cadre.unit_id),
            pk=int_param(request.POST.get("replacement")),
        )
        _run(
            request,
            services.adjustment_name_replacement,
            _("Replacement named; the office carries out the rotation."),
            proposal=proposal,
            replacement=replacement,
            note=request.POST.get("note", ""),
            by=request.user,
        )
        return redirect("assessments:adjustment_detail", pk=pk)


class DossierView(RoleRequiredMixin, View):
    """干部档案 (Art 13): one page per cadre; print layout and Excel export."""

    def get(self, request, pk):
        year = int_param(request.GET.get("year"))
        data = selectors.dossier(user=request.user, pk=pk, year=year)
        if request.GET.get("format") == "xlsx":
            export_logged(
                user=request.user,
                app="assessments",
                kind="cadre_dossier",
                params={"cadre": pk, "year": data["year"]},
                row_count=len(data["months"]),
            )
            return _download(
                f"dossier-{pk}-{data['year']}.xlsx", exports.dossier_workbook(data), XLSX
            )
        data["case_kinds"] = CaseKind
        return render(request, "assessments/dossier.html", data)
