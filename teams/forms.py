"""Forms of the team pages; each feeds one service."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import BoundedModelMultipleChoiceField
from teams.models import Cadre


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format=format)


class TalkForm(forms.Form):
    """R36."""

    date = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput)
    topic = forms.CharField(label=_("Topic"), max_length=120)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 3}))


class DisciplineForm(forms.Form):
    """R25."""

    date = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput)
    prohibition = forms.CharField(label=_("Prohibition breached"), max_length=120)
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea({"rows": 3}))
    handling = forms.CharField(
        label=_("Handling"), required=False, widget=forms.Textarea({"rows": 2})
    )


class RotationRequestForm(forms.Form):
    """R9: the replacement and the reason."""

    replacement = forms.ModelChoiceField(label=_("Replacement"), queryset=Cadre.objects.none())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args, replacements=None, **kwargs):
        super().__init__(*args, **kwargs)
        if replacements is not None:
            self.fields["replacement"].queryset = replacements


class RotationDecisionForm(forms.Form):
    arrival_date = forms.DateField(
        label=_("Replacement arrives on"),
        initial=timezone.localdate,
        required=False,
        widget=DateInput,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class LeadersMeetingForm(forms.Form):
    """R32: the quarterly meeting and who attended."""

    date = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput)
    title = forms.CharField(label=_("Title"), max_length=120)
    attendees = BoundedModelMultipleChoiceField(
        label=_("Leaders present"),
        queryset=Cadre.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args, leaders=None, **kwargs):
        super().__init__(*args, **kwargs)
        if leaders is not None:
            self.fields["attendees"].queryset = leaders
