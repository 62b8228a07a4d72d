from django import template

register = template.Library()


@register.filter
def figure(row, column: str):
    """A row's figure for a column; a percentage is read from the row, never summed."""
    if column.endswith("_pct"):
        value = getattr(row, column)
        return "" if value is None else value
    return row.figures[column]


@register.filter
def label(labels: dict, column: str) -> str:
    return labels.get(column, column)
