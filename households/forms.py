from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import MultipleFileField
from core.fields import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from households.models import DiaryEntry, Household, IncomeCheck, Member, Visit, Zone
from households.services import HOUSEHOLD_FIELDS
from teams.models import Cadre, Membership


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = ["village", *HOUSEHOLD_FIELDS]

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if villages is not None:
            self.fields["village"].queryset = villages
        if self.instance.pk:
            self.fields["village"].disabled = True


class VisitForm(forms.ModelForm):
    visitors = BoundedModelMultipleChoiceField(
        label=_("who went"),
        queryset=Cadre.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    photos = MultipleFileField(label=_("photos"), required=False, accept="image/*")

    class Meta:
        model = Visit
        fields = [
            "date",
            "kind",
            "visitors",
            "findings",
            "help_given",
            "follow_up_needed",
            "follow_up",
        ]
        widgets = {
            "date": DateInput(),
            "findings": forms.Textarea(attrs={"rows": 3}),
            "help_given": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, team=None, cadre_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        if team is not None:
            current = Membership.objects.current(timezone.localdate()).filter(team=team)
            self.fields["visitors"].queryset = Cadre.objects.filter(
                pk__in=current.values("cadre_id")
            ).order_by("name")
        if cadre_id:
            self.fields["visitors"].initial = [cadre_id]


class DiaryForm(forms.ModelForm):
    class Meta:
        model = DiaryEntry
        fields = ["date", "text"]
        widgets = {"date": DateInput(), "text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class IncomeCheckForm(forms.ModelForm):
    class Meta:
        model = IncomeCheck
        fields = [
            "year",
            "per_capita_income",
            "risk_illness",
            "risk_disability",
            "risk_disaster",
            "risk_unemployment",
            "risk_education",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ZoneOverrideForm(forms.Form):
    zone = forms.ChoiceField(label=_("zone"), choices=Zone.choices)
    # R27: the reason is required; refusing it must say so (the page shows form errors as
    # messages, without the field's label, so Django's generic "required" would not).
    reason = forms.CharField(
        label=_("reason"),
        max_length=200,
        error_messages={"required": _("Give a reason for setting the zone by hand.")},
    )


class PairingForm(forms.Form):
    cadre = BoundedModelChoiceField(
        label=_("cadre"),
        queryset=Cadre.objects.select_related("unit").order_by("unit__name", "name"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].label_from_instance = lambda c: f"{c.name}（{c.unit.name}）"


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("roster (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "name",
            "relation",
            "id_number",
            "birth_date",
            "health",
            "disability",
            "schooling",
            "notes",
        ]
        widgets = {"birth_date": DateInput()}
