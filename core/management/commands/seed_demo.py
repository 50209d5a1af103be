"""Load realistic demo data. Idempotent: running it twice changes nothing.

Every installed app seeds its own part from its `demo.py` (see core.demo)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from core import demo


class Command(BaseCommand):
    help = "Load the demo data of every installed app (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        parts = demo.parts()
        for part in parts:
            self.stdout.write(part.run())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({', '.join(p.app_label for p in parts)})."))
