"""A team's statuses and the groups of them that rules speak of (R3, R7, R8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamStatus(models.TextChoices):
    FORMING = "forming", _("Forming")
    ACTIVE = "active", _("Active")
    HANDING_OVER = "handover", _("Handing over")
    ENDED = "ended", _("Ended")


# In the village: active, or the outgoing team handing over at rotation (R8).
STATIONED_STATUSES = (TeamStatus.ACTIVE, TeamStatus.HANDING_OVER)
# Not ended: also a team still forming, whose memberships already count.
CURRENT_STATUSES = (TeamStatus.FORMING, *STATIONED_STATUSES)
