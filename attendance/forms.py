"""Thin forms: parse input for the services, no rules here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from attendance.models import LeaveKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CheckInForm(forms.Form):
    latitude = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        widget=forms.HiddenInput,
    )
    longitude = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        widget=forms.HiddenInput,
    )
    accuracy_m = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def clean_accuracy_m(self):
        value = self.cleaned_data.get("accuracy_m")
        return None if value is None else int(value)


class LeaveForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=LeaveKind.choices)
    start_date = forms.DateField(label=_("First day"), widget=DateInput())
    start_half = forms.BooleanField(label=_("First day from noon (half day)"), required=False)
    end_date = forms.DateField(label=_("Last day"), widget=DateInput())
    end_half = forms.BooleanField(label=_("Last day until noon (half day)"), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    village_informed = forms.BooleanField(label=_("I have told the village"), required=False)


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    actual_end_date = forms.DateField(label=_("Actual last day of leave"), widget=DateInput())
    comment = forms.CharField(label=_("Comment"), required=False)


class ExtensionForm(forms.Form):
    end_date = forms.DateField(label=_("New last day"), widget=DateInput())
    end_half = forms.BooleanField(label=_("Last day until noon (half day)"), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), max_length=500)


class ScanForm(forms.Form):
    scan = forms.FileField(label=_("Scan of the signed sheet (PDF or image)"))

    def clean_scan(self):
        scan = self.cleaned_data["scan"]
        name = scan.name.lower()
        if not name.endswith((".pdf", ".jpg", ".jpeg", ".png")):
            raise forms.ValidationError(_("Upload a PDF, JPEG or PNG file."))
        return scan


class AllowancePaymentForm(forms.Form):
    """R34: paid on, amount."""

    paid_on = forms.DateField(label=_("Paid on"))
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, decimal_places=2)
