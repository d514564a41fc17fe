from django.core.management.base import BaseCommand

from reminders.services import reminders_run


class Command(BaseCommand):
    help = (
        "Record and send every reminder that is due, in this process: what beat does on a "
        "schedule, for a portal run without Redis. Safe to run as often as you like."
    )

    def handle(self, *args, **options):
        counts = reminders_run()
        self.stdout.write(
            f"{counts['planned']} reminders newly due, {counts['sent']} e-mails sent, "
            f"{counts['digests']} weekly digests sent."
        )
