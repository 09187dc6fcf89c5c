"""Screenshots of the real PCM interface for the user and admin guides (docs/img/*.png).

Run from anywhere with the project's virtual environment:

    .venv/bin/python docs/screenshots.py               # every screenshot
    .venv/bin/python docs/screenshots.py referrals     # only the groups named (see GROUPS)

It builds a throwaway demo (a temporary data directory with its own SQLite database, random
secret key, `manage.py migrate`, `collectstatic` and `seed --cases 200`, which adds every
step's records), starts gunicorn on a free port of 127.0.0.1, signs in as the demo personas
through the real pages (password, then the current code of the user's authenticator, computed
from their TOTP device in the throwaway database), and drives Debian's Chromium with
Playwright. It stops gunicorn and deletes the temporary directory at the end. Nothing in var/
is touched.

PCM refuses a TOTP code that the same user has already used in the same 30-second step. So
before each sign-in the script resets `last_t` on the user's device in the throwaway database:
the same persona can sign in several times in a row without waiting for the next code.

The pages that protect the people in PCM (attachments, field visibility, exports, the audit
trail, emergency access, retention, the emergency purge, "Confirm it's you") are taken just
before the Arabic one. The background worker does not run beside this demo's gunicorn: the
caseload export's job is run by `manage.py run_worker --once` against the demo database, and
the open job page then shows it finished by itself. The emergency purge is asked for on its
page but never requested, let alone approved.

The referral pages come next: the caseworker refers a case of hers to the service whose
referrals the demo `provider` receives (from a "Referral" action of her plan when one is still
open, else from the case page), prints its form, and opens a referral to a provider outside
PCM; the `provider` then sees it in the portal; the manager shows who receives the referrals
to that service, the directory, and an import of a small CSV file with mistakes (its job run
by `manage.py run_worker --once` too), refused with its errors.

The MEAL pages come after them: the `meal` officer's dashboard (lands there after signing in),
its trends, a chart's table opened where a count is hidden ("<5"), an indicator's page; then
the `manager`'s MEAL settings, the feedback register and one answered entry of it.

The Arabic screenshot is taken last, so that it shows the latest translations.

Only the standard library and Playwright (a development dependency) are used. If `pngquant`
is on the PATH the images are also quantised to keep the repository small; without it they
are plain PNGs of the viewport.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import (
    Browser,
    BrowserContext,
    FilePayload,
    Locator,
    Page,
    expect,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
CASES = 200
# The account the administrator creates in the screenshots, then signs in with to enrol.
NEWCOMER = "new-caseworker"
NEWCOMER_PASSWORD = "field office passphrase 2026"  # noqa: S105 - throwaway demo database


def log(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


# The throwaway server ----------------------------------------------------------------------


class Demo:
    """A temporary PCM demo: environment, management commands and a gunicorn process."""

    def __init__(self, data_dir: Path) -> None:
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "pcm.settings",
            "PCM_DATA_DIR": str(data_dir),
            "PCM_SECRET_KEY": secrets.token_urlsafe(50),
            "PCM_HTTPS": "0",
            "PCM_DEMO": "1",
            "PCM_DEBUG": "0",
            "PCM_MANIFEST_STATIC": "1",
            "PCM_REQUIRE_2FA": "1",
            "PCM_LOG_LEVEL": "WARNING",
        }
        # The demo creates its own keyring in its data directory: never one from the caller.
        for name in (
            "PCM_SECRET_KEY_FILE",
            "PCM_SQLITE_PATH",
            "DATABASE_URL",
            "PCM_KEYRING",
            "PCM_KEYRING_FILE",
            "PCM_KEYRING_PATH",
        ):
            self.env.pop(name, None)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: subprocess.Popen[bytes] | None = None

    def manage(self, *args: str) -> str:
        """Run `manage.py ARGS` against the demo database and return what it printed."""
        result = subprocess.run(  # noqa: S603 - fixed program, arguments from this script
            [str(PYTHON), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    def prepare(self) -> None:
        log("Migrating a new SQLite database in a temporary directory")
        self.manage("migrate", "--noinput", "-v", "0")
        log("Collecting static files (hashed names, as in production)")
        self.manage("collectstatic", "--noinput", "-v", "0")
        log(f"Seeding {CASES} synthetic cases")
        self.manage("seed", "--cases", str(CASES))

    def demo_password(self) -> str:
        match = re.search(r"Password for every demo login: (\S+)", self.manage("demo_logins"))
        if match is None:
            raise SystemExit("manage.py demo_logins did not print the demo password")
        return match.group(1)

    def code_for(self, username: str, *, pending: bool = False) -> str:
        """The user's current TOTP code, computed from their device in the demo database.

        PCM refuses a code already used in the same 30-second step; the device's `last_t` is
        reset first, so the same persona can sign in twice in a row (a throwaway database).
        """
        snippet = _PENDING_CODE if pending else _CURRENT_CODE
        printed = self.manage("shell", "-c", snippet.format(username=username))
        return printed.strip().splitlines()[-1]

    def lookup(self) -> dict[str, str]:
        """The demo cases the screenshots show, found in the seeded database (public ids)."""
        printed = self.manage("shell", "-c", _LOOKUP)
        found: dict[str, str] = json.loads(printed.strip().splitlines()[-1])
        return found

    def referral_lookup(self) -> dict[str, str]:
        """What the referral screenshots open (see _REFERRALS); empty strings if none."""
        printed = self.manage("shell", "-c", _REFERRALS)
        found: dict[str, str] = json.loads(printed.strip().splitlines()[-1])
        return found

    def duplicate_viewer(self) -> str | None:
        """The demo persona who sees an open possible duplicate, if the demo has one."""
        printed = self.manage("shell", "-c", _DUPLICATE_VIEWER).strip().splitlines()[-1]
        return None if printed == "-" else printed

    def start(self) -> None:
        log(f"Starting gunicorn on {self.url}")
        self.server = subprocess.Popen(  # noqa: S603 - fixed program, arguments from this script
            [
                str(GUNICORN),
                "pcm.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "2",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise SystemExit("gunicorn stopped at start-up")
            try:
                with urllib.request.urlopen(f"{self.url}/accounts/sign-in/", timeout=2):  # noqa: S310 - our own http://127.0.0.1 server
                    return
            except OSError:
                time.sleep(0.3)
        raise SystemExit("gunicorn did not answer within 30 seconds")

    def stop(self) -> None:
        if self.server is None or self.server.poll() is not None:
            return
        log("Stopping gunicorn")
        self.server.terminate()
        try:
            self.server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()


# The current code of a user's confirmed authenticator, its replay guard reset first.
_CURRENT_CODE = """
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
device = TOTPDevice.objects.get(user__username="{username}", confirmed=True)
TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
print(f"{{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}}")
"""

# The cases of the demo caseworker that the screenshots open, as JSON of public ids.
_LOOKUP = """
import json
from pcm.cases.models import Case
mine = Case.objects.filter(assigned_to__username="caseworker").order_by("number")
worked = mine.filter(
    status="implementation", safety_plan__isnull=False, plan__current_version__isnull=False
).first()
closing = mine.filter(status="closure_requested").first()
latin = next(c for c in mine.select_related("person") if c.person.family_name[:1].isascii())
from pcm.attachments.models import Attachment
attached = Attachment.objects.filter(
    case__assigned_to__username="caseworker", deleted_at__isnull=True
).select_related("case").order_by("pk").first()
print(json.dumps({
    "worked": str(worked.public_id),
    "worked_number": worked.number,
    "closing": str(closing.public_id),
    "family_name": latin.person.family_name,
    "attached": str(attached.case.public_id) if attached else "",
}))
"""

# Who sees an open possible duplicate (the caseworker, else the supervisor), or "-".
_DUPLICATE_VIEWER = """
from pcm.accounts.models import User
from pcm.people.duplicates import open_flags_visible_to
viewer = next(
    (
        name
        for name in ("caseworker", "supervisor")
        if open_flags_visible_to(User.objects.get(username=name)).exists()
    ),
    "-",
)
print(viewer)
"""

# What the referral screenshots open, as JSON: a case of the demo caseworker with an open
# "Referral" action in its plan in force, not referred yet if possible, whose consent covers
# referrals (else any case of hers that may be referred); the
# service whose referrals the demo provider receives in the portal; a referral to a provider
# outside PCM still waiting for its answer; an Iraqi P-code for the directory import.
_REFERRALS = """
import json
from pcm.locations.models import Location
from pcm.plans.models import CURRENT_STATUSES, ActionOwner, ActionStatus, PlanAction
from pcm.referrals.models import FocalPoint, Referral
from pcm.referrals.sharing import referral_consent
referred = set(
    Referral.objects.filter(plan_action_key__isnull=False).values_list("plan_action_key", flat=True)
)
actions = PlanAction.objects.filter(
    case__assigned_to__username="caseworker",
    case__status__in=["implementation", "follow_up"],
    owner=ActionOwner.REFERRAL,
    status__in=[ActionStatus.TO_DO, ActionStatus.IN_PROGRESS],
    plan_version__status__in=CURRENT_STATUSES,
).select_related("case").order_by("case__number", "position")
consenting = [a for a in actions if referral_consent(a.case).allowed]
# Not referred yet if possible; else an action still open after an earlier referral.
action = next((a for a in consenting if a.key not in referred), None) or next(
    iter(consenting), None
)
from pcm.cases.models import Case
# Without such an action, any case of hers that may be referred, from its case page.
case = action.case if action else next(
    (
        c
        for c in Case.objects.filter(
            assigned_to__username="caseworker", status__in=["implementation", "follow_up"]
        ).order_by("number")
        if referral_consent(c).allowed
    ),
    None,
)
focal = FocalPoint.objects.filter(user__username="provider").order_by("pk").first()
paper = Referral.objects.filter(
    case__assigned_to__username="caseworker",
    through_portal=False,
    status__in=["sent", "acknowledged"],
).order_by("-sent_at").first()
area = Location.objects.filter(level=1, parent__pcode="IQ").order_by("pcode").first()
print(json.dumps({
    "refer_case": str(case.public_id) if case else "",
    "refer_action": str(action.key) if action else "",
    "focal_service": str(focal.service_id) if focal else "",
    "paper": str(paper.public_id) if paper else "",
    "pcode": area.pcode if area else "",
}))
"""

# The code of the authenticator the newcomer is enrolling (not yet confirmed).
_PENDING_CODE = """
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
device = TOTPDevice.objects.get(user__username="{username}", confirmed=False)
print(f"{{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}}")
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_demo() -> Iterator[Demo]:
    with tempfile.TemporaryDirectory(prefix="pcm-screenshots-") as data_dir:
        demo = Demo(Path(data_dir))
        demo.prepare()
        try:
            demo.start()
            yield demo
        finally:
            demo.stop()


# Browser helpers ---------------------------------------------------------------------------


def new_context(browser: Browser, demo: Demo, viewport: dict[str, int] = DESKTOP) -> BrowserContext:
    context = browser.new_context(
        base_url=demo.url,
        viewport=viewport,  # type: ignore[arg-type]
        device_scale_factor=1,
        locale="en-GB",
        timezone_id="Asia/Baghdad",
        color_scheme="light",
        reduced_motion="reduce",
        is_mobile=viewport["width"] < 600,
        has_touch=viewport["width"] < 600,
    )
    context.set_default_timeout(15_000)
    return context


def shoot(page: Page, name: str, *, full_page: bool = False) -> None:
    """Save the page as docs/img/NAME.png (the viewport, or the whole page when asked)."""
    path = IMG / f"{name}.png"
    page.wait_for_load_state("networkidle")
    try:
        page.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="hide")
    except PlaywrightError:
        # Chromium now and then cannot capture while it is still laying out; once more.
        page.wait_for_timeout(1000)
        page.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="hide")
    pngquant = shutil.which("pngquant")
    if pngquant:
        subprocess.run(  # noqa: S603 - the pngquant found on the PATH, fixed arguments
            [pngquant, "--force", "--skip-if-larger", "--strip", "--output", str(path), str(path)],
            check=False,
        )
    log(f"docs/img/{name}.png ({path.stat().st_size // 1024} KB)")


def fill_sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_in(page: Page, demo: Demo, username: str, password: str) -> None:
    """Password, then the authenticator code, through the real pages."""
    fill_sign_in(page, username, password)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Code").fill(demo.code_for(username))
    page.get_by_role("button", name="Verify").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/sign-in/"))


def open_first_case(page: Page) -> str:
    """Open the first case of the list; return its number."""
    page.goto("/cases/")
    link = page.locator("a.case-number").first
    number = link.inner_text()
    link.click()
    expect(page.get_by_role("heading", name=number)).to_be_visible()
    return number


# The screenshots ---------------------------------------------------------------------------


def sign_in_pages(browser: Browser, demo: Demo, password: str) -> None:
    context = new_context(browser, demo)
    page = context.new_page()
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill("caseworker")
    shoot(page, "sign-in")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    shoot(page, "sign-in-code")
    context.close()

    # A username that does not exist is locked like any other after five failures.
    context = new_context(browser, demo)
    page = context.new_page()
    for _ in range(6):
        fill_sign_in(page, "f.ahmed", "not-the-password")
        if page.get_by_role("heading", name="Sign-in is locked for a while").is_visible():
            break
    expect(page.get_by_role("heading", name="Sign-in is locked for a while")).to_be_visible()
    shoot(page, "locked-out")
    context.close()


def scroll_to(locator: Locator) -> None:
    """Scroll the page so that LOCATOR is at the top of the viewport."""
    locator.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 16)")


def caseworker_pages(browser: Browser, demo: Demo, password: str) -> None:
    context = new_context(browser, demo)
    page = context.new_page()
    sign_in(page, demo, "caseworker", password)
    # A caseworker's home page is the Today page.
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    shoot(page, "today")

    page.goto("/cases/")
    expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()
    shoot(page, "case-list")

    # Search for the given name of the first service user whose name is in Latin letters.
    names = page.locator("#case-results tbody tr td:nth-child(2)").all_inner_texts()
    name = next(name for name in names if re.match(r"[A-Za-z]", name)).split()[0]
    page.get_by_label("Case number or name").fill(name.lower())
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text(re.compile(r"cases? found"))).to_be_visible()
    shoot(page, "case-search")

    open_first_case(page)
    shoot(page, "case-page")

    page.goto(f"/cases/{uuid.uuid4()}/")
    shoot(page, "case-not-found")

    page.goto("/accounts/security/")
    expect(page.get_by_role("heading", name="Account security")).to_be_visible()
    shoot(page, "security")
    context.close()


def registration_pages(browser: Browser, demo: Demo, password: str, cases: dict[str, str]) -> None:
    context = new_context(browser, demo)
    page = context.new_page()
    sign_in(page, demo, "caseworker", password)

    # Search first: a family name the caseworker's own cases have.
    page.goto("/cases/register/")
    expect(page.get_by_role("heading", name="Register a person")).to_be_visible()
    page.get_by_label("Name", exact=True).fill(cases["family_name"])
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("may be the same person")).to_be_visible()
    shoot(page, "register-search")

    # A 16-year-old: the child safeguard panel instead of a case.
    page.get_by_label("Name", exact=True).fill("Mariam Al-Saadi")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Nobody you can see matches")).to_be_visible()
    fill_intake(page, age="16")
    page.get_by_role("button", name="Register and open the case").click()
    expect(page.get_by_role("heading", name=re.compile("This person is a child"))).to_be_visible()
    scroll_to(page.get_by_role("heading", name=re.compile("2. Register the person")))
    shoot(page, "register-child")

    # The same person as an adult: the case opens, waiting for consent.
    page.get_by_label("Estimated age in years").fill("34")
    page.get_by_role("button", name="Register and open the case").click()
    expect(page.get_by_role("status").first).to_contain_text("is open")
    shoot(page, "case-opened")

    page.get_by_role("link", name="Record consent").click()
    expect(page.get_by_role("heading", name="Informed consent")).to_be_visible()
    page.get_by_label("The service user", exact=True).check()
    page.get_by_label("Verbal").check()
    page.get_by_label("Case management").check()
    page.get_by_label("Referrals to services").check()
    page.get_by_label("Phone calls").check()
    page.get_by_label("Contact restrictions").fill("No calls after 6 pm.")
    shoot(page, "consent")
    context.close()


def six_step_pages(browser: Browser, demo: Demo, password: str, cases: dict[str, str]) -> None:
    """The caseworker's pages of a case in implementation, and of a case awaiting closure."""
    worked = f"/cases/{cases['worked']}/"
    context = new_context(browser, demo)
    page = context.new_page()
    sign_in(page, demo, "caseworker", password)

    page.goto(worked)
    scroll_to(page.get_by_role("heading", name="1. Intake"))
    shoot(page, "case-sections")

    page.goto(worked + "assessments/new/")
    expect(page.get_by_role("heading", name="Record a protection risk assessment")).to_be_visible()
    shoot(page, "assessment-form")

    page.goto(worked + "plan/")
    expect(page.get_by_role("heading", name="Case action plan")).to_be_visible()
    shoot(page, "plan")

    page.goto(worked + "safety-plan/print/")
    expect(page.get_by_role("heading", name="My safety plan")).to_be_visible()
    shoot(page, "safety-plan-print")

    page.goto(f"/cases/{cases['closing']}/casework/")
    expect(page.get_by_role("heading", name=re.compile("Case-work history"))).to_be_visible()
    shoot(page, "casework-history")
    context.close()


def fill_intake(page: Page, *, age: str) -> None:
    page.get_by_label("Family name").fill("Al-Saadi")
    page.get_by_label("Sex").select_option(label="Female")
    page.get_by_label("Estimated age in years").fill(age)
    # Not by its label: after a search the page has two fields with the id "id_phone".
    register = page.locator("form").filter(has=page.locator("input[name=step][value=register]"))
    register.locator("input[name=phone]").fill("+964 770 123 4567")
    page.get_by_label("Location").select_option(index=1)
    page.get_by_label("Displacement status").select_option(label="Internally displaced person")
    page.get_by_label("Arabic").check()
    page.get_by_label(
        "Theft, extortion, forced eviction or destruction of personal property"
    ).check()
    page.get_by_label("Eligible: meets the intake criteria").check()
    page.get_by_label("Reason for the decision").fill("Extorted at the market by an armed group.")
    page.get_by_label("Risk level").select_option(label="High")


def supervisor_pages(browser: Browser, demo: Demo, password: str, cases: dict[str, str]) -> None:
    context = new_context(browser, demo)
    page = context.new_page()
    sign_in(page, demo, "supervisor", password)
    # A supervisor's home page is My team.
    expect(page.get_by_role("heading", name="My team")).to_be_visible()
    shoot(page, "team")

    page.goto(f"/cases/{cases['closing']}/")
    scroll_to(page.get_by_role("heading", name="Closure and transfer"))
    expect(page.get_by_role("button", name="Approve the closure")).to_be_visible()
    shoot(page, "closure-section")

    page.goto(f"/cases/{cases['worked']}/file-checks/new/")
    expect(page.get_by_role("heading", name="Check the case file")).to_be_visible()
    shoot(page, "file-check")

    open_first_case(page)
    expect(page.get_by_role("heading", name="Reassign the case")).to_be_visible()
    shoot(page, "case-page-supervisor")

    # The same case in a second tab, left open while the first tab reassigns it.
    stale = context.new_page()
    stale.goto(page.url)
    choices = page.get_by_label("New caseworker").locator("option:not([value=''])")
    current = page.locator("#assigned-caseworker").inner_text()
    labels = [label for label in choices.all_inner_texts() if not label.startswith(current)]
    if len(labels) < 2:
        raise SystemExit(f"The team needs two other caseworkers to show a conflict: {labels}")
    page.get_by_label("New caseworker").select_option(label=labels[0])
    page.get_by_role("button", name="Reassign").click()
    expect(page.get_by_role("status")).to_contain_text("is now assigned to")
    shoot(page, "reassigned")

    stale.get_by_label("New caseworker").select_option(label=labels[-1])
    stale.get_by_role("button", name="Reassign").click()
    expect(stale.get_by_text("Someone else changed this case")).to_be_visible()
    shoot(stale, "reassign-conflict")
    context.close()


def other_role_pages(browser: Browser, demo: Demo, password: str) -> None:
    context = new_context(browser, demo)
    page = context.new_page()
    sign_in(page, demo, "manager", password)
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    shoot(page, "home-manager")
    page.goto("/cases/risk-types/")
    expect(page.get_by_role("heading", name="Protection risk types")).to_be_visible()
    shoot(page, "risk-types")
    context.close()


def phone_pages(browser: Browser, demo: Demo, password: str) -> None:
    phone = new_context(browser, demo, PHONE)
    page = phone.new_page()
    sign_in(page, demo, "caseworker", password)
    page.goto("/cases/")
    expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()
    shoot(page, "case-list-phone")
    page.get_by_role("button", name="Show the menu").click()
    expect(page.get_by_role("link", name="Register a person").first).to_be_visible()
    shoot(page, "menu-phone")
    phone.close()


def confirm_identity(page: Page, demo: Demo, username: str, password: str) -> None:
    """Answer "Confirm it's you" (password and code again) on the page PCM sent us to."""
    expect(page.get_by_role("heading", name="Confirm it's you")).to_be_visible()
    page.get_by_label("Password").fill(password)
    page.get_by_label("Code").fill(demo.code_for(username))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Confirm it's you")).not_to_be_visible()


def protection_pages(browser: Browser, demo: Demo, password: str, cases: dict[str, str]) -> None:
    """Encryption, field visibility, exports, the audit trail, emergency access, retention."""
    # The caseworker: the encrypted attachments of a case, and possible duplicates.
    context = new_context(browser, demo)
    page = context.new_page()
    sign_in(page, demo, "caseworker", password)
    if cases["attached"]:
        page.goto(f"/cases/{cases['attached']}/")
        heading = page.get_by_role("heading", name="Attachments", exact=True)
        expect(heading).to_be_visible()
        expect(page.get_by_role("link", name="Download").first).to_be_visible()
        scroll_to(heading)
        shoot(page, "attachments")
    else:
        log("No demo attachment on the caseworker's cases: attachments.png not taken")
    context.close()

    viewer = demo.duplicate_viewer()
    if viewer is None:
        log("The demo has no open possible duplicate: duplicates.png not taken")
    else:
        context = new_context(browser, demo)
        page = context.new_page()
        sign_in(page, demo, viewer, password)
        page.goto("/people/duplicates/")
        expect(page.get_by_role("heading", name="Possible duplicates")).to_be_visible()
        expect(page.locator(".duplicate-flag").first).to_be_visible()
        shoot(page, "duplicates")
        context.close()

    # The manager reads the agency's cases without knowing who the people are.
    context = new_context(browser, demo)
    page = context.new_page()
    sign_in(page, demo, "manager", password)
    page.goto(f"/cases/{cases['worked']}/")
    expect(page.locator(".person-name")).to_contain_text("Identity hidden")
    shoot(page, "case-page-manager")
    context.close()

    # The supervisor: "Confirm it's you", the caseload export, a case's access history.
    context = new_context(browser, demo)
    page = context.new_page()
    sign_in(page, demo, "supervisor", password)
    page.get_by_role("link", name="Exports").first.click()
    expect(page.get_by_role("heading", name="Confirm it's you")).to_be_visible()
    page.get_by_label("Password").fill(password)
    shoot(page, "confirm-identity")
    confirm_identity(page, demo, "supervisor", password)
    expect(page.get_by_role("heading", name="Export the caseload")).to_be_visible()
    page.get_by_label("Open cases", exact=True).check()
    page.get_by_label("Password for the archive").fill(NEWCOMER_PASSWORD)
    page.get_by_label("The same password again").fill(NEWCOMER_PASSWORD)
    shoot(page, "export-form")
    page.get_by_role("button", name="Start the export").click()
    expect(page.get_by_role("heading", name="Caseload export")).to_be_visible()
    # No worker runs beside this demo's gunicorn: one round of it, against the demo database.
    log("Running the export job with manage.py run_worker --once")
    demo.manage("run_worker", "--once")
    # The job page asks for its progress every two seconds and shows the download by itself.
    expect(page.get_by_role("link", name=re.compile(r"^Download .*\.zip$"))).to_be_visible(
        timeout=20_000
    )
    shoot(page, "export-job")

    page.goto(f"/cases/{cases['worked']}/")
    heading = page.get_by_role("heading", name="Access history")
    expect(heading).to_be_visible()
    page.get_by_role("link", name="Show the access history").click()
    expect(page.locator("#case-access-history-body li").first).to_be_visible()
    scroll_to(heading)
    shoot(page, "case-access-history")
    context.close()

    # The auditor: the agency's audit trail.
    context = new_context(browser, demo)
    page = context.new_page()
    sign_in(page, demo, "auditor", password)
    page.goto("/audit/")
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    expect(page.locator("table.audit-trail tbody tr").first).to_be_visible()
    shoot(page, "audit-trail")
    context.close()

    # The administrator: emergency access, what each role sees, retention, the purge request.
    context = new_context(browser, demo)
    page = context.new_page()
    sign_in(page, demo, "admin", password)
    page.goto("/access/emergency-access/new/")
    confirm_identity(page, demo, "admin", password)
    expect(page.get_by_role("heading", name="Ask for emergency access to a case")).to_be_visible()
    page.get_by_label("Case number").fill(cases["worked_number"])
    page.get_by_label("Reason").fill(
        "Police request about this case while its caseworker is on leave; the supervisor "
        "cannot be reached."
    )
    shoot(page, "break-glass-request")

    page.goto("/administration/field-visibility/")
    expect(page.get_by_role("heading", name="What each role sees")).to_be_visible()
    shoot(page, "field-visibility", full_page=True)

    page.goto("/retention/")
    expect(page.get_by_role("heading", name=re.compile("Data retention"))).to_be_visible()
    shoot(page, "retention-settings")

    # Confirmed a moment ago for the emergency access: the purge page opens straight away.
    page.goto("/administration/purge/request/")
    expect(page.get_by_role("heading", name="Ask for an emergency purge")).to_be_visible()
    shoot(page, "purge-request", full_page=True)
    context.close()


def _import_file(pcode: str) -> bytes:
    """A small directory file with mistakes, to show how an import reports them."""
    rows = [
        "Provider name,Service name,Sector,Areas served (P-codes),Minimum age,Maximum age,"
        "Focal point e-mail",
        f"Legal Aid Collective,Civil documentation,Legal aid,{pcode},18,,referrals@example.org",
        f"Legal Aid Collective,Civil documentation,Legal aid,{pcode},18,,referrals@example.org",
        "Hope Clinic,Mobile clinic,Healthcare,XX999,,,clinic@example",
        f"Safe Space,Women's centre,GBV case management,{pcode},40,18,",
    ]
    return ("\r\n".join(rows) + "\r\n").encode()


def referral_pages(browser: Browser, demo: Demo, password: str) -> None:
    """Referrals: the caseworker refers a case from its plan, the provider's focal point reads
    it in the portal; a referral to a provider outside PCM; the manager's side (who receives
    referrals, the directory and its import)."""
    found = demo.referral_lookup()
    if not (found["refer_case"] and found["focal_service"]):
        raise SystemExit(f"The demo has no case to refer or no focal point: {found}")
    case = f"/cases/{found['refer_case']}/"

    # The caseworker refers the service user for a "Referral" action of the plan in force.
    context = new_context(browser, demo)
    page = context.new_page()
    sign_in(page, demo, "caseworker", password)
    action = f"?action={found['refer_action']}" if found["refer_action"] else ""
    page.goto(f"{case}referrals/new/{action}")
    expect(page.get_by_role("heading", name="Refer to a service")).to_be_visible()
    page.get_by_label("Service", exact=True).select_option(value=found["focal_service"])
    page.get_by_label("Reason for the referral").fill(
        "Her landlord threatens to evict the family this month; she needs a lawyer to answer "
        "the eviction notice."
    )
    page.get_by_label("Note for the provider").fill(
        "Call her mornings only, on the number given; she speaks Arabic."
    )
    for field in ("Name", "Phone number", "Age", "Languages", "Risk level"):
        page.get_by_label(field, exact=True).check()
    shoot(page, "referral-new", full_page=True)
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text("Referral sent. The provider sees it in PCM.")).to_be_visible()
    shoot(page, "referral-sent", full_page=True)
    reference = page.get_by_role("heading", level=1).inner_text().split()[-1]
    page.get_by_role("link", name="Printable form").click()
    expect(page.get_by_role("heading", name=f"Referral form {reference}")).to_be_visible()
    shoot(page, "referral-form-print", full_page=True)

    page.goto(case)
    heading = page.get_by_role("heading", name="Referrals", exact=True)
    expect(heading).to_be_visible()
    scroll_to(heading)
    shoot(page, "case-referrals")

    if found["paper"]:
        page.goto(f"/referrals/{found['paper']}/")
        expect(page.get_by_role("heading", name="Record the provider's answer")).to_be_visible()
        shoot(page, "referral-paper", full_page=True)
    else:
        log("No referral to a provider outside PCM is waiting: referral-paper.png not taken")
    context.close()

    # The provider's focal point: the portal's inbox, and the referral just sent.
    context = new_context(browser, demo)
    page = context.new_page()
    sign_in(page, demo, "provider", password)
    expect(page.get_by_role("heading", name="Referrals received")).to_be_visible()
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    shoot(page, "portal-inbox")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", name=f"Referral {reference}")).to_be_visible()
    expect(page.get_by_role("button", name="Accept")).to_be_visible()
    shoot(page, "portal-referral", full_page=True)
    context.close()

    # The manager: who receives the referrals to a service; the directory and its import.
    context = new_context(browser, demo)
    page = context.new_page()
    sign_in(page, demo, "manager", password)
    page.goto(f"/services/{found['focal_service']}/focal-points/")
    expect(page.get_by_role("heading", name="Who receives referrals")).to_be_visible()
    shoot(page, "focal-points")

    page.goto("/services/")
    expect(page.get_by_role("heading", name="Service directory")).to_be_visible()
    shoot(page, "service-directory")

    page.goto("/services/import/")
    expect(page.get_by_role("heading", name="Import the service directory")).to_be_visible()
    shoot(page, "directory-import", full_page=True)
    upload: FilePayload = {
        "name": "service-mapping.csv",
        "mimeType": "text/csv",
        "buffer": _import_file(found["pcode"]),
    }
    page.get_by_label("Directory file").set_input_files(files=[upload])
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("heading", name="Service directory import")).to_be_visible()
    # No worker runs beside this demo's gunicorn: one round of it, against the demo database.
    log("Running the import job with manage.py run_worker --once")
    demo.manage("run_worker", "--once")
    # The page asks for its progress every two seconds and shows the errors by itself.
    expect(page.locator("#import-errors")).to_be_visible(timeout=20_000)
    shoot(page, "directory-import-errors", full_page=True)
    context.close()


def arabic_pages(browser: Browser, demo: Demo, password: str) -> None:
    """Taken last, so that it shows the latest translations."""
    context = new_context(browser, demo)
    page = context.new_page()
    sign_in(page, demo, "caseworker", password)
    page.goto("/cases/")
    page.get_by_label("Language").select_option(value="ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    shoot(page, "case-list-arabic")
    # The choice is remembered for the user: back to English, as the demo started.
    page.locator("#language-choice").select_option("en")  # its label is in Arabic now
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    context.close()


def administration_pages(browser: Browser, demo: Demo, password: str) -> None:
    context = new_context(browser, demo)
    page = context.new_page()
    sign_in(page, demo, "admin", password)
    expect(page.get_by_role("heading", name="Administration")).to_be_visible()
    shoot(page, "admin-index")
    for section in ("agencies", "locations", "offices", "teams", "users"):
        page.goto(f"/administration/{section}/")
        shoot(page, f"admin-{section}")

    page.goto("/administration/users/new/")
    page.get_by_label("Username").fill(NEWCOMER)
    page.get_by_label("First name").fill("Noor")
    page.get_by_label("Last name").fill("Jassim")
    page.get_by_label("Email address").fill("noor.jassim@example.org")
    page.get_by_label("Agency").select_option(label="Amal Protection Network")
    page.get_by_label("Role").select_option(label="Caseworker")
    page.get_by_label("Team").select_option(label="APN · Mosul team A")
    page.get_by_label("Initial password").fill(NEWCOMER_PASSWORD)
    shoot(page, "admin-user-new", full_page=True)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")

    enrol_newcomer(browser, demo)

    page.goto("/administration/users/")
    page.get_by_role("link", name=f"Change {NEWCOMER}").or_(
        page.get_by_role("link", name="Change Noor Jassim")
    ).first.click()
    expect(page.get_by_role("heading", name="Sign-in help")).to_be_visible()
    shoot(page, "admin-user-edit", full_page=True)
    context.close()


def enrol_newcomer(browser: Browser, demo: Demo) -> None:
    """The newcomer's first sign-in: set up the authenticator, receive the backup codes."""
    context = new_context(browser, demo)
    page = context.new_page()
    fill_sign_in(page, NEWCOMER, NEWCOMER_PASSWORD)
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    shoot(page, "enrol")
    page.get_by_label("Code from your authenticator app").fill(
        demo.code_for(NEWCOMER, pending=True)
    )
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    shoot(page, "backup-codes")
    context.close()


def meal_pages(browser: Browser, demo: Demo, password: str) -> None:
    """MEAL: the MEAL officer's dashboard (a chart, and a table with a suppressed count) and an
    indicator's page; the manager's MEAL settings, feedback register and one of its entries."""
    context = new_context(browser, demo)
    page = context.new_page()
    sign_in(page, demo, "meal", password)
    expect(page.get_by_role("heading", name="MEAL dashboard")).to_be_visible()
    page.wait_for_timeout(500)  # the charts draw after the page has loaded
    shoot(page, "meal-dashboard")
    scroll_to(page.get_by_role("heading", name="Trends by month"))
    page.wait_for_timeout(300)
    shoot(page, "meal-trends")
    suppressed = page.locator("td.meal-suppressed").first
    if suppressed.count():
        panel = page.locator("section.meal-panel").filter(has=suppressed).first
        panel.locator("details > summary").first.click()
        scroll_to(panel)
        page.wait_for_timeout(300)
        shoot(page, "meal-suppressed")
    else:
        log("The demo dashboard shows no suppressed count: meal-suppressed.png not taken")
    page.goto("/meal/indicators/first_response/")
    expect(
        page.get_by_role("heading", level=1, name="First response within the risk level")
    ).to_be_visible()
    page.wait_for_timeout(500)
    shoot(page, "meal-indicator")
    context.close()

    context = new_context(browser, demo)
    page = context.new_page()
    sign_in(page, demo, "manager", password)
    page.goto("/meal/settings/")
    expect(page.get_by_role("heading", name="MEAL settings")).to_be_visible()
    shoot(page, "meal-settings")
    page.goto("/feedback/")
    expect(page.get_by_role("heading", name="Feedback and complaints")).to_be_visible()
    shoot(page, "feedback-register")
    rows = page.locator("main table tbody tr").filter(has=page.locator("a[href^='/feedback/']"))
    answered = rows.filter(has_not=page.locator(".badge.text-bg-danger")).filter(
        has_text=re.compile("Responded|Closed")
    )
    chosen = answered.first if answered.count() else rows.first
    chosen.locator("a[href^='/feedback/']").first.click()
    expect(page.get_by_role("heading", name="Handling")).to_be_visible()
    shoot(page, "feedback-entry", full_page=True)
    context.close()


# The groups of screenshots, in the order a full run takes them. The supervisor's need the
# caseworker the administrator adds (a third choice when two tabs reassign the same case), and
# the Arabic one comes last, so that it shows the latest translations.
Group = Callable[[Browser, Demo, str, dict[str, str]], None]
GROUPS: dict[str, Group] = {
    "sign-in": lambda browser, demo, password, cases: sign_in_pages(browser, demo, password),
    "caseworker": lambda browser, demo, password, cases: caseworker_pages(browser, demo, password),
    "registration": registration_pages,
    "six-steps": six_step_pages,
    "administration": lambda browser, demo, password, cases: administration_pages(
        browser, demo, password
    ),
    "supervisor": supervisor_pages,
    "other-roles": lambda browser, demo, password, cases: other_role_pages(browser, demo, password),
    "phone": lambda browser, demo, password, cases: phone_pages(browser, demo, password),
    "protection": protection_pages,
    "referrals": lambda browser, demo, password, cases: referral_pages(browser, demo, password),
    "meal": lambda browser, demo, password, cases: meal_pages(browser, demo, password),
    "arabic": lambda browser, demo, password, cases: arabic_pages(browser, demo, password),
}


def main(names: list[str]) -> None:
    """Take every group of screenshots, or only the groups NAMES (in the order of GROUPS)."""
    unknown = [name for name in names if name not in GROUPS]
    if unknown:
        raise SystemExit(f"No such group: {', '.join(unknown)}. Groups: {', '.join(GROUPS)}")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    IMG.mkdir(parents=True, exist_ok=True)
    with running_demo() as demo, sync_playwright() as playwright:
        password = demo.demo_password()
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        cases = demo.lookup()
        try:
            for name, group in GROUPS.items():
                if not names or name in names:
                    group(browser, demo, password, cases)
        finally:
            browser.close()
    log(f"Screenshots are in {IMG.relative_to(ROOT)}/")


if __name__ == "__main__":
    main(sys.argv[1:])
