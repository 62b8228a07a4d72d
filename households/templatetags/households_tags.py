from django import template

from households.idnumbers import shown_id_number

register = template.Library()


@register.simple_tag(takes_context=True)
def shown_id(context, village_id, value):
    """An ID number as the current user may see it (whole or masked)."""
    return shown_id_number(context["request"].user, village_id=village_id, value=value)
