"""R8: the open errands and disputes an outgoing team must hand over."""

from django.urls import reverse

from reports import selectors
from teams.handover_items import OpenItems
from teams.models import HandoverItemKind, Team


def handover_open_items(team: Team) -> list[OpenItems]:
    return [
        OpenItems(
            HandoverItemKind.ERRANDS,
            selectors.open_errands(team).count(),
            reverse("reports:errand_list"),
        ),
        OpenItems(
            HandoverItemKind.DISPUTES,
            selectors.open_disputes(team).count(),
            reverse("reports:ledger_list") + "?kind=dispute",
        ),
    ]
