"""Discussion data for tests: spaces come from their groups (discussions.signals), threads and replies are
written through the services, as members write them, so counters, mentions and audit entries hold."""

import factory

from discussions import services
from discussions.models import Space
from members.access import Viewer


class ClubSpaceFactory(factory.django.DjangoModelFactory):
    """A club-wide space (every member reads and writes)."""

    title = factory.Sequence(lambda n: f"Espace {n}")
    slug = factory.Sequence(lambda n: f"espace-{n}")
    description = "Un espace pour tout le club."

    class Meta:
        model = Space


def space_of(group):
    """The space a group got when it was saved."""
    return Space.objects.get(group=group)


def start(user, space, title="Un sujet", text="Le premier message.", **kwargs):
    """A thread started by `user` (who must be allowed to); returns its opening post."""
    return services.start_thread(Viewer(user), space, title=title, source=text, **kwargs)


def answer(user, thread, text="Une réponse.", **kwargs):
    return services.reply(Viewer(user), thread, source=text, **kwargs)
