from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import MultipleFileField
from core.fields import BoundedModelChoiceField
from reports.models import (
    Errand,
    ExportKind,
    Feedback,
    FeedbackStatus,
    LedgerKind,
    LedgerRecord,
    ReportKind,
)
from teams.models import Cadre

COMMON_FIELDS = ["date", "title", "text"]
KIND_FIELDS = {
    LedgerKind.STUDY: ["participants", "other_participants"],
    LedgerKind.MEETING: [
        "meeting_kind",
        "participants",
        "other_participants",
        "participant_count",
    ],
    LedgerKind.SERVICE_DAY: ["participants", "participant_count"],
    LedgerKind.TRAINING: ["training_topic", "participants", "participant_count"],
    LedgerKind.DIARY: [],
    LedgerKind.RESEARCH: ["cadre"],
    LedgerKind.COORDINATION: ["project_name", "amount", "funding_source"],
    LedgerKind.COLLECTIVE: ["project_name", "amount", "is_stable_income"],
    LedgerKind.PRACTICAL: [
        "project_name",
        "households_benefiting",
        "village_households",
        "amount",
    ],
    LedgerKind.DISPUTE: ["other_participants", "case_status"],
    LedgerKind.PARTY: ["party_activity", "participants", "participant_count"],
    LedgerKind.TALK: ["cadre", "other_participants"],
    LedgerKind.DISCIPLINE: ["cadre"],
}


class LedgerRecordForm(forms.ModelForm):
    team = BoundedModelChoiceField(queryset=None, label=_("Team"))
    files = MultipleFileField(
        label=_("Photos and documents"),
        required=False,
        accept="image/*,.pdf,.doc,.docx",
        help_text=_("Archive the work as text and images."),
    )

    class Meta:
        model = LedgerRecord
        fields = sorted({f for fields in KIND_FIELDS.values() for f in fields} | {*COMMON_FIELDS})
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 4}),
            "participants": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, kind: str, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        wanted = ["team", *COMMON_FIELDS, *KIND_FIELDS[kind], "files"]
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        self.order_fields(wanted)
        self.fields["team"].queryset = teams
        if len(teams) == 1:
            self.fields["team"].initial = teams[0].pk
            self.fields["team"].widget = forms.HiddenInput()
        cadres = Cadre.objects.filter(memberships__team__in=teams).distinct().order_by("name")
        for name in ("participants", "cadre"):
            if name in self.fields:
                self.fields[name].queryset = cadres
        if kind == LedgerKind.STUDY:
            self.fields["text"].label = _("Study notes")
        if kind == LedgerKind.COLLECTIVE and "amount" in self.fields:
            self.fields["amount"].label = _("Annual income (yuan)")

    def record_data(self) -> dict:
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("team", "participants", "files")
        }
        data["kind"] = self.kind
        return data

    def service_arguments(self) -> dict:
        """What ``ledger_record_create`` and ``ledger_record_update`` take from the form."""
        return {
            "data": self.record_data(),
            "participants": self.cleaned_data.get("participants") or [],
            "files": self.cleaned_data.get("files") or [],
        }


class ErrandForm(forms.ModelForm):
    class Meta:
        model = Errand
        fields = ["requester", "description", "accepted_on"]
        widgets = {"accepted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class FeedbackForm(forms.ModelForm):
    team = BoundedModelChoiceField(queryset=None, label=_("Team"))

    class Meta:
        model = Feedback
        fields = ["team", "category", "subject", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "category": _("Misconduct leads on village cadres are read by the office alone."),
        }

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if len(teams) == 1:
            self.fields["team"].initial = teams[0].pk
            self.fields["team"].widget = forms.HiddenInput()


class FeedbackUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FeedbackStatus.choices)
    office_note = forms.CharField(
        label=_("Office note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportNarrativeForm(forms.Form):
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("The figures of the period are attached below; write the narrative."),
    )


class ReportReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Export"), choices=ExportKind.choices)
    team = BoundedModelChoiceField(queryset=None, label=_("Team"), required=False)
    ledger_kind = forms.ChoiceField(
        label=_("Ledger kind"), choices=[("", "—"), *LedgerKind.choices], required=False
    )
    report_kind = forms.ChoiceField(
        label=_("Report kind"), choices=[("", "—"), *ReportKind.choices], required=False
    )
    period = forms.CharField(
        label=_("Period"),
        required=False,
        help_text=_("e.g. 2026, 2026Q3, 2026H1 or 2026-09"),
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams

    def params(self) -> dict:
        data = self.cleaned_data
        params = {"period": data["period"], "start": data["start"], "end": data["end"]}
        if data["team"]:
            params["team"] = data["team"].pk
        params["kind"] = (
            data["ledger_kind"] if data["kind"] == ExportKind.LEDGER else data["report_kind"]
        )
        return params
