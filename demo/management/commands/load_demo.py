from django.core.management.base import BaseCommand

from demo import loader


class Command(BaseCommand):
    help = "Load the demo programme, schools and people (once), and print the demo logins."

    def handle(self, *args, **options):
        if loader.demo_is_loaded():
            self.stdout.write("Demo data is already loaded.")
        else:
            loader.load_demo()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"\nDemo logins (every password is {loader.DEMO_PASSWORD}):")
        for login in loader.demo_logins():
            self.stdout.write(f"  {login.role:<12} {login.email:<36} {login.where}")
