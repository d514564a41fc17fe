from django.core.management.base import BaseCommand

from programmes import demo


class Command(BaseCommand):
    help = "Load the demo programme, schools and people (once), and print the demo logins."

    def handle(self, *args, **options):
        if demo.demo_is_loaded():
            self.stdout.write("Demo data is already loaded.")
        else:
            demo.load_demo()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"\nDemo logins (every password is {demo.DEMO_PASSWORD}):")
        for login in demo.demo_logins():
            self.stdout.write(f"  {login.role:<12} {login.email:<36} {login.where}")
