"""What each app holds about a person, for "Mes données" (export) and for anonymisation (GDPR).

members cannot import the content apps, so each app that keeps personal data registers a
`PersonalData` here from its `AppConfig.ready()`:

    register_personal_data(PersonalData(
        name="event_registrations",            # the file name in the archive
        label=_("Event registrations"),
        export=lambda user: [{"event": ..., "state": ..., "registered_at": ...}, ...],
        anonymise=lambda user: ...,             # erase free text the person wrote; keep rows and counts
    ))

`export(user)` returns a list of flat dicts (one row each; values JSON-serialisable: str, int, float, bool,
None, or date/datetime, which the archive writes in ISO 8601). `anonymise(user)` runs inside the
anonymisation's transaction and must leave counts intact (a registration stays a registration; only
what names or describes the person goes).
"""

import dataclasses

_registry = {}


@dataclasses.dataclass(frozen=True)
class PersonalData:
    name: str
    label: object
    export: object  # callable(user) -> list[dict]
    anonymise: object = None  # callable(user) -> None


def register_personal_data(part):
    _registry[part.name] = part
    return part


def registered_parts():
    """Every registered part, in name order (stable archives)."""
    return [_registry[name] for name in sorted(_registry)]
