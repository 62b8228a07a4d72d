from django import template

register = template.Library()


@register.filter
def cell_name(cell, cadre) -> str:
    """The form field name of a grid cell: ``c-<cadre>-<YYYYMMDD>``."""
    return f"c-{cadre.pk}-{cell.day:%Y%m%d}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "")
