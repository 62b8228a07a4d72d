from django import template

from households.idnumbers import shown_id_number

register = template.Library()


@register.simple_tag(takes_context=True)
def shown_id(context, village_id, value):
    """An ID number as the current user may see it (whole or masked)."""
    return shown_id_number(context["request"].user, village_id=village_id, value=value)


@register.simple_tag(takes_context=True)
def unpaired_poor_count(context) -> int:
    """R33: the office dashboard's alert: poor households without a paired cadre."""
    from households.selectors import unpaired_poor_households

    return unpaired_poor_households(user=context["request"].user).count()
