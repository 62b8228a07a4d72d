from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# Apps whose models the office administers in the Django admin.
OFFICE_ADMINISTERED_APPS = [
    "core",
    "accounts",
    "teams",
    "attendance",
    "households",
    "reports",
    "assessments",
    "dashboards",
    "mobile",
    "django_celery_beat",
    "auth",
]


def grant_office_permissions(sender, using="default", **kwargs) -> None:
    """The office group holds every permission of the program's apps (kept after migrations)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from accounts.models import OFFICE_GROUP

    # Our receiver may run before auth's for the same app, so make sure the rows exist.
    for app_config in apps.get_app_configs():
        if app_config.label in OFFICE_ADMINISTERED_APPS:
            create_permissions(app_config, verbosity=0, using=using)
    group, _ = Group.objects.using(using).get_or_create(name=OFFICE_GROUP)
    permissions = Permission.objects.using(using).filter(
        content_type__app_label__in=OFFICE_ADMINISTERED_APPS
    )
    group.permissions.add(*permissions)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        post_migrate.connect(grant_office_permissions, dispatch_uid="grant_office_permissions")
        from accounts import roles_cache

        roles_cache.connect()
