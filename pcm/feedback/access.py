"""Who sees what of the feedback register: the one place that decides it.

| who                                   | reads                                               |
| ------------------------------------- | --------------------------------------------------- |
| caseworker                            | the unrestricted entries they recorded              |
| supervisor, manager                   | every unrestricted entry of their agency            |
| complaints handler (any of the above) | also every restricted entry of their agency         |
| MEAL officer                          | the unrestricted entries without free text or case  |
| everyone else                         | nothing                                             |

Restricted entries (sensitive, or about staff) are read only by the agency's complaints handlers:
not by a manager who is not one, not by the person who recorded them. The others learn only that
they exist, through counts. Nobody sees another agency's entries. An entry outside a user's view
answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from pcm.access import policy
from pcm.access.actions import normalise_case_number
from pcm.accounts.models import Role, User
from pcm.cases.models import Case
from pcm.feedback.models import ComplaintsHandler, FeedbackEntry, restricted_q

RECORDING_ROLES = frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.MANAGER})
AGENCY_WIDE_ROLES = frozenset({Role.SUPERVISOR, Role.MANAGER})
# Staff who may be made complaints handlers: those who work with service users' information.
# MEAL officers never read personal data; administrators read no case content.
HANDLER_ROLES = RECORDING_ROLES
KEEPER_ROLES = frozenset({Role.MANAGER, Role.ADMINISTRATOR})


_member = policy.staff_member  # an active member of an active agency


def is_handler(user: User | AnonymousUser) -> bool:
    """USER is on their agency's list of complaints handlers (and of a role that may be)."""
    member = _member(user)
    if member is None or member.role not in HANDLER_ROLES:
        return False
    return ComplaintsHandler.objects.filter(agency_id=member.agency_id or 0, user=member).exists()


def can_record(user: User | AnonymousUser) -> bool:
    member = _member(user)
    return member is not None and member.role in RECORDING_ROLES


def can_see_register(user: User | AnonymousUser) -> bool:
    """The register page: the recording roles and the MEAL officers."""
    member = _member(user)
    return member is not None and (
        member.role in RECORDING_ROLES or member.role == Role.MEAL_OFFICER
    )


def is_deidentified_reader(user: User | AnonymousUser) -> bool:
    """MEAL officers read the register without free text and without case links."""
    member = _member(user)
    return member is not None and member.role == Role.MEAL_OFFICER


def can_see_agency_counts(user: User | AnonymousUser) -> bool:
    """Counts over the whole agency's register (restricted entries included)."""
    member = _member(user)
    return member is not None and (
        member.role in AGENCY_WIDE_ROLES or member.role == Role.MEAL_OFFICER or is_handler(member)
    )


def can_keep_handlers(user: User | AnonymousUser) -> bool:
    """Managers and administrators keep their agency's list of complaints handlers."""
    member = _member(user)
    return member is not None and member.role in KEEPER_ROLES


def agency_entries(user: User) -> QuerySet[FeedbackEntry]:
    """Every entry of USER's agency, whoever may read it: for counts only."""
    return FeedbackEntry.objects.filter(agency_id=user.agency_id or 0)


def entries_visible_to(
    user: User | AnonymousUser, *, handler: bool | None = None
) -> QuerySet[FeedbackEntry]:
    """The entries USER reads in full (free text, case link, response). HANDLER: whether USER
    is a complaints handler, when the caller already knows (saves a query)."""
    member = _member(user)
    if member is None or member.role not in RECORDING_ROLES:
        return FeedbackEntry.objects.none()
    unrestricted = ~restricted_q()
    if member.role == Role.CASEWORKER:
        unrestricted &= Q(recorded_by=member)
    if handler is None:
        handler = is_handler(member)
    visible = unrestricted | restricted_q() if handler else unrestricted
    return agency_entries(member).filter(visible)


def register_rows_for(
    user: User | AnonymousUser, *, handler: bool | None = None
) -> QuerySet[FeedbackEntry]:
    """The rows of the register page for staff. MEAL officers get none: one row with its date,
    place and category can point at a person; they read the suppressed counts instead."""
    if is_deidentified_reader(user):
        return FeedbackEntry.objects.none()
    return entries_visible_to(user, handler=handler)


def hidden_from(user: User, entries: QuerySet[FeedbackEntry]) -> int:
    """How many of ENTRIES (of USER's agency) are restricted and so not listed for USER."""
    if is_handler(user):
        return 0
    return entries.filter(restricted_q()).count()


def get_entry_for(user: User | AnonymousUser, pk: int) -> FeedbackEntry:
    """The entry PK if USER reads it in full; 404 otherwise, as if it did not exist."""
    entry = (
        entries_visible_to(user)
        .select_related(
            "location",
            "recorded_by",
            "acknowledged_by",
            "in_progress_by",
            "responded_by",
            "closed_by",
        )
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def can_handle(user: User | AnonymousUser, entry: FeedbackEntry) -> bool:
    """Whoever reads an entry in full may take its steps (acknowledge, respond, close, edit)."""
    return entries_visible_to(user).filter(pk=entry.pk).exists()


def case_visible_to(user: User | AnonymousUser, entry: FeedbackEntry) -> Case | None:
    """The entry's case, only if USER may see that case (pcm.access.policy)."""
    if entry.linked_case_id is None:
        return None
    found: Case | None = (
        policy.cases_visible_to(user).filter(pk=entry.linked_case_id).only("public_id", "number")
    ).first()
    return found


def find_case(user: User | AnonymousUser, number: str) -> Case | None:
    """The case numbered NUMBER if USER may see it (else None, as if it did not exist)."""
    found: Case | None = (
        policy.cases_visible_to(user).filter(number=normalise_case_number(number)).first()
    )
    return found
