from django.core.management.base import BaseCommand

from teams.demo import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo logins that seed_demo created."

    def handle(self, *args, **options):
        self.stdout.write("Demo logins (password for all: %s):" % DEMO_PASSWORD)
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<12} {role}")
