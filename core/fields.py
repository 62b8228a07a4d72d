"""Form fields that refuse impossible input before it reaches the database (issue 11, 13)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from core.params import int_param


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Ids that no database integer can hold are invalid choices, not an OverflowError."""

    def _check_values(self, value):
        for pk in value or ():
            if int_param(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class BoundedModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and int_param(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)
