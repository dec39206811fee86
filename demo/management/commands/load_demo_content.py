"""Load the demo site from ``demo/data/``: pages, courses, library, alliance, cases and (optionally) users.

Idempotent: every recipe looks things up before it creates them and leaves what exists as
it is, so running the command twice changes nothing.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from demo.recipes import users
from demo.recipes.alliance import create_demo_alliance
from demo.recipes.appointments import create_demo_appointments
from demo.recipes.courses import create_demo_courses
from demo.recipes.guidance import create_demo_guidance
from demo.recipes.library import create_demo_resources
from demo.recipes.participation import create_demo_participation
from demo.recipes.schools import create_demo_schools_and_cases
from demo.recipes.search import create_demo_synonyms
from demo.recipes.site import create_demo_site
from demo.recipes.street_events import create_demo_street_events
from demo.recipes.workstations import create_demo_workstations


class Command(BaseCommand):
    help = "Create the demo home page, standard pages and contact settings (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-demo-users",
            action="store_true",
            help="Also create one demo user per role (demo/data/users.json) and print their credentials.",
        )
        parser.add_argument("--skip-index", action="store_true", help="Do not run update_index at the end.")

    def handle(self, *args, **options):
        with transaction.atomic():
            home = create_demo_site(self.stdout)
            create_demo_workstations(home)
            create_demo_synonyms()
            create_demo_resources(self.stdout)
            # The legal-education alliance at /alliance/ (replaces the placeholder page of earlier versions).
            create_demo_alliance(home, self.stdout)
        demo_users = list(users.create_demo_users() or []) if options["with_demo_users"] else []
        # After the demo users, so that the demo parent gets an enrolment and an assignment.
        create_demo_courses(stdout=self.stdout)
        # After the demo users, so that the demo officer (if any) becomes the first school's officer.
        schools = create_demo_schools_and_cases()
        self.stdout.write(
            f"Schools demo: {schools['street_towns']} streets/towns, {schools['schools']} schools, "
            f"{schools['cases_created']} new demo cases."
        )
        # After schools, courses and users: classes, parents with progress, the demo head teacher's class.
        participation = create_demo_participation()
        self.stdout.write(
            f"Parent schools demo: {participation['classes']} classes, {participation['parents']} demo parents."
        )
        # After participation's demo parents and staff: two street events coming up, one held.
        street_events = create_demo_street_events()
        self.stdout.write(f"Street events demo: {street_events['events']} events, {street_events['signups']} sign-ups.")
        # After participation's demo parents and the demo users: slots, bookings, one attended session.
        appointments = create_demo_appointments()
        self.stdout.write(
            f"Guidance stations demo: {appointments['slots']} slots, {appointments['bookings']} bookings."
        )
        # After cases, courses, stations, appointments and users: a reported plan, one half done, a court order.
        guidance = create_demo_guidance(with_demo_users=options["with_demo_users"])
        demo_users += guidance["users"]
        self.stdout.write(f"Guidance demo: {guidance['plans']} plans.")
        if not options["skip_index"]:
            call_command("update_index", verbosity=0, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
        if demo_users:
            self.print_demo_users(demo_users)

    def print_demo_users(self, rows_in: list[dict]) -> None:
        """Printed last, so that `make run` ends with the credentials on screen."""
        columns = ["role", "phone", "email", "password", "totp_secret"]
        rows = [[str(user.get(column) or "") for column in columns] for user in rows_in if isinstance(user, dict)]
        widths = [max([len(column)] + [len(row[index]) for row in rows]) for index, column in enumerate(columns)]
        self.stdout.write("\nDemo users (for local use only; sign in at /accounts/login/):")
        self.stdout.write("  ".join(column.ljust(widths[index]) for index, column in enumerate(columns)).rstrip())
        self.stdout.write("  ".join("-" * width for width in widths))
        for row in rows:
            self.stdout.write("  ".join(value.ljust(widths[index]) for index, value in enumerate(row)).rstrip())
