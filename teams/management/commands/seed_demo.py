"""Build the demo city. Each app adds its part through ``<app>/demo.py: seed()``."""

import importlib

from django.core.management.base import BaseCommand
from django.db import connection

DEMO_APPS = ["teams", "attendance", "households", "reports", "assessments"]


class Command(BaseCommand):
    help = "Create demo data (idempotent). --scale city builds the benchmark-sized city."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", "city"], default="demo")

    def handle(self, *args, scale, **options):
        for app in DEMO_APPS:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app}.demo":
                    raise
                continue
            module.seed(scale=scale, stdout=self.stdout)
        if connection.vendor == "postgresql":
            # The planner needs statistics after a bulk load (autovacuum may be off).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
