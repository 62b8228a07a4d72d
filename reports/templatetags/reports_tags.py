from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """Look a key up in a dict inside a template (labels of stored codes)."""
    return mapping.get(key, key) if hasattr(mapping, "get") else key
