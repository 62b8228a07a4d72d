"""Roles cached across requests (issue 12): ``get_roles`` cost 6 queries on every request.

A user's roles are kept in the cache for the day (current memberships depend on the
date) under a generation number; any change to what roles are derived from
(memberships, cadre accounts, area assignments, office group, supervision groups, unit
contacts, the user row) bumps the generation, so no request reads stale roles. The
models are named by label, not imported: accounts sits below teams (DESIGN.md).

Production keeps the cache in Redis so that every worker sees the same generation; the
default local-memory cache is right for one process (runserver, tests).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

logger = logging.getLogger(__name__)
GENERATION_KEY = "roles:generation"
TIMEOUT = 24 * 60 * 60
# What roles are derived from (accounts.roles._compute_roles).
SOURCES = ["teams.Membership", "teams.Cadre", "teams.AreaAssignment", "teams.Team"]
M2M_SOURCES = {
    "accounts.user_groups",
    "teams.supervisiongroup_members",
    "teams.dispatchingunit_contacts",
}


def cached_roles(user, compute: Callable):
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            generation = _new_generation()
        key = f"roles:{generation}:{user.pk}:{timezone.localdate():%Y%m%d}"
        roles = cache.get(key)
    except Exception:  # the cache is down: compute, as before the cache existed
        logger.warning("roles cache unavailable", exc_info=True)
        return compute(user)
    if roles is None:
        roles = compute(user)
        try:
            cache.set(key, roles, TIMEOUT)
        except Exception:
            logger.warning("roles cache unavailable", exc_info=True)
    return roles


def roles_changed(**kwargs) -> None:
    """Every cached role is stale: bump the generation (after the transaction commits,
    and at once, so that this request sees the change too)."""
    if set(kwargs.get("update_fields") or ()) == {"last_login"}:
        return  # logging in changes no role
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> float:
    generation = timezone.now().timestamp()
    try:
        cache.set(GENERATION_KEY, generation, None)
    except Exception:
        logger.warning("roles cache unavailable", exc_info=True)
    return generation


def _m2m_changed(sender, **kwargs) -> None:
    if sender._meta.label_lower in M2M_SOURCES:
        roles_changed()


def connect() -> None:
    """Called from AccountsConfig.ready()."""
    for label in [*SOURCES, "accounts.User"]:
        post_save.connect(roles_changed, sender=label, dispatch_uid=f"roles:{label}:save")
        post_delete.connect(roles_changed, sender=label, dispatch_uid=f"roles:{label}:delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="roles:m2m")
