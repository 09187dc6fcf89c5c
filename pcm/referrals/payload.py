"""The referral payload: the versioned JSON document a referral carries to its provider.

It holds the shared fields and the referral's own facts, nothing else of the case, so that a
referral can one day travel between two PCM installations (format documented in
docs/referral-payload.md). Version 1:

    {
      "format": "pcm.referral", "version": 1,
      "reference": "R-000042", "sent_at": "2026-11-30T09:00:00+00:00",
      "respond_by": "2026-12-01T09:00:00+00:00", "urgency": "immediate",
      "from": {"agency": "...", "caseworker": "...", "caseworker_email": "..."},
      "to": {"provider": "...", "service": "...", "sector": "legal"},
      "reason": "...", "note": "...",
      "consent": {"version": 3, "given_at": "2026-11-01T10:00:00+00:00"},
      "person": {"name": "...", "phone": "...", "risk_level": "high"}
    }

"person" holds exactly the fields that were shared (keys of pcm.referrals.sharing), no others.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pcm.cases.consent import current_consent
from pcm.cases.models import Case
from pcm.referrals.models import Referral
from pcm.referrals.sharing import FIELDS_BY_KEY, Value, display_value, field_label

FORMAT = "pcm.referral"
VERSION = 1


class PayloadError(ValueError):
    """A payload this installation cannot read."""


def build(referral: Referral, case: Case, shared_keys: list[str]) -> dict[str, Any]:
    consent = current_consent(case)
    person = {key: FIELDS_BY_KEY[key].value(case) for key in shared_keys}
    service = referral.service
    return {
        "format": FORMAT,
        "version": VERSION,
        "reference": referral.reference,
        "sent_at": referral.sent_at.isoformat(),
        "respond_by": referral.respond_by.isoformat(),
        "urgency": referral.urgency,
        "from": {
            "agency": referral.agency.name,
            "caseworker": referral.referred_by.get_full_name() or referral.referred_by.username,
            "caseworker_email": referral.referred_by.email,
        },
        "to": {
            "provider": service.provider.name,
            "service": service.name,
            "sector": service.sector,
        },
        "reason": referral.reason,
        "note": referral.note_for_provider,
        "consent": {
            "version": consent.version if consent else None,
            "given_at": consent.given_at.isoformat() if consent else None,
        },
        "person": person,
    }


def dumps(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


def loads(text: str) -> dict[str, Any]:
    """The payload of TEXT, checked for its format and version."""
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise PayloadError("not JSON") from error
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise PayloadError("not a PCM referral")
    if payload.get("version") != VERSION:
        raise PayloadError(f"unsupported version {payload.get('version')!r}")
    if not isinstance(payload.get("person"), dict):
        raise PayloadError("no person section")
    return payload


@dataclass(frozen=True)
class SharedValue:
    key: str
    label: str
    value: str


def shared_values(referral: Referral) -> list[SharedValue]:
    """The shared fields of REFERRAL as read from its payload, in the form's order.

    An anonymised referral (empty payload) shares nothing any more.
    """
    if not referral.payload:
        return []
    person: dict[str, Value] = loads(referral.payload)["person"]
    ordered = [key for key in FIELDS_BY_KEY if key in person]
    return [SharedValue(key, field_label(key), display_value(key, person[key])) for key in ordered]
