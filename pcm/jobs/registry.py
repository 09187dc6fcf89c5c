"""The kinds of background jobs and the periodic tasks, registered by the apps that own them.

An app registers them in its `<app>/tasks.py` module, which the worker imports at start:

    @job_kind("exports.caseload", title=_("Caseload export"), messages={"reading": READING_MESSAGE})
    def export_caseload(job: Job, report_progress: ProgressReporter) -> None: ...

    @periodic("retention", every=timedelta(hours=24))
    def anonymise_expired_cases() -> None: ...

A job function receives its Job and `report_progress(done, total=None, message=None)`; it
raises `JobFailed(code)` to fail with one of its own message codes, or any other exception to
fail with a generic message (the worker logs the exception's type and place, never its text).
A periodic function takes no argument; the worker runs it when `every` has passed since its
last start (in one worker only, even when several run).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol, TypeVar

from django.utils.functional import Promise

from pcm.core.discovery import app_modules

if TYPE_CHECKING:
    from pcm.jobs.models import Job


class ProgressReporter(Protocol):
    def __call__(self, done: int, total: int | None = None, message: str | None = None) -> None: ...


JobFunction = Callable[["Job", ProgressReporter], None]
PeriodicFunction = Callable[[], object]
F = TypeVar("F", bound=Callable[..., object])
J = TypeVar("J", bound=JobFunction)


class JobFailed(Exception):
    """A job ends in failure with MESSAGE, a code its kind declares (shown to the owner)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class JobCancelled(Exception):
    """Raised by report_progress when the owner cancelled the job meanwhile."""


@dataclass(frozen=True)
class JobKind:
    name: str
    function: JobFunction
    title: str | Promise
    # Message codes of this kind → their translated text.
    messages: dict[str, str | Promise] = field(default_factory=dict)
    # The URL name of the page the job's owner goes back to (no arguments), if any, and the
    # link's text.
    back_url: str | None = None
    back_label: str | Promise = ""


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    function: PeriodicFunction
    every: timedelta


_kinds: dict[str, JobKind] = {}
_periodic: dict[str, PeriodicTask] = {}


def job_kind(
    name: str,
    *,
    title: str | Promise,
    messages: dict[str, str | Promise] | None = None,
    back_url: str | None = None,
    back_label: str | Promise = "",
) -> Callable[[J], J]:
    def register(function: J) -> J:
        _kinds[name] = JobKind(name, function, title, dict(messages or {}), back_url, back_label)
        return function

    return register


def periodic(name: str, *, every: timedelta) -> Callable[[F], F]:
    def register(function: F) -> F:
        _periodic[name] = PeriodicTask(name, function, every)
        return function

    return register


def load_task_modules() -> None:
    """Import every app's `tasks` module, so that its kinds and periodic tasks register."""
    app_modules("tasks")


def get_kind(name: str) -> JobKind | None:
    load_task_modules()
    return _kinds.get(name)


def periodic_tasks() -> list[PeriodicTask]:
    load_task_modules()
    return sorted(_periodic.values(), key=lambda task: task.name)
