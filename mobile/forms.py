"""The phone's ledger draft form: every kind's fields, shown by kind on the phone; the
server checks a draft with the ledger's own form (reports.forms.LedgerRecordForm)."""

from django import forms

from reports.forms import COMMON_FIELDS, KIND_FIELDS
from reports.models import LedgerKind, LedgerRecord
from teams.models import Cadre

KIND_FIELD_NAMES = sorted({name for names in KIND_FIELDS.values() for name in names})


class LedgerDraftForm(forms.ModelForm):
    class Meta:
        model = LedgerRecord
        fields = ["kind", *COMMON_FIELDS, *KIND_FIELD_NAMES]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 3}),
            "participants": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        cadres = Cadre.objects.filter(memberships__team__in=teams).distinct().order_by("name")
        for name in ("participants", "cadre"):
            self.fields[name].queryset = cadres
        self.fields["kind"].choices = [("", "---------"), *LedgerKind.choices]
        self.fields["date"].widget.attrs["data-today"] = ""
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"

    def rows(self):
        """(field, the kinds it belongs to): the phone shows a field for its kinds only."""
        for name in self.fields:
            if name == "kind" or name in COMMON_FIELDS:
                yield self[name], ""
            else:
                kinds = [kind for kind, names in KIND_FIELDS.items() if name in names]
                yield self[name], " ".join(str(kind) for kind in kinds)
