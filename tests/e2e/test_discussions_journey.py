"""The discussions in a real browser, as members meet them.

A member asks the club a question in "Questions aux pairs"; two others answer; the one who asked marks the
second answer as the solution, which then shows right under the question, before the replies. A basic
member who opens a technology cluster's space is told that it is for premium members, and how to get there.
"""

import pytest

from discussions.models import Post, Space, Thread
from tests.e2e.test_membership_journeys import log_in
from tests.factories.members import make_member
from tests.factories.working_groups import WorkingGroupIndexPageFactory, make_group

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def club_wide_space(club):
    """The migrations' "Questions aux pairs" (a transactional test's flush removes it: made again here)."""
    space = Space.objects.filter(slug="questions-aux-pairs").first()
    return space or Space.objects.create(title="Questions aux pairs", slug="questions-aux-pairs", position=0)


def logged_in(new_page, base, user):
    page = new_page()
    log_in(page, base, user.username)
    page.wait_for_selector("[data-testid=dashboard]")
    return page


def open_thread(page, base, thread):
    page.goto(f"{base}{thread.get_absolute_url()}")
    page.wait_for_selector("[data-testid=discussion-thread]")


def answer(page, base, thread, text):
    open_thread(page, base, thread)
    page.fill("[data-testid=reply-form] [data-testid=compose-source]", text)
    with page.expect_navigation():
        page.click("[data-testid=reply-submit]")
    page.wait_for_selector("[data-testid=discussion-thread]")


def test_a_member_asks_others_answer_and_the_asker_marks_the_solution(live_server, new_page, club_wide_space):
    base = live_server.url
    asker = make_member("basic", username="ana@example.org", first_name="Ana", last_name="Dubois")
    first = make_member("basic", username="carla@example.org", first_name="Carla", last_name="Renard")
    second = make_member("premium", username="bruno@example.org", first_name="Bruno", last_name="Leroy")

    # Ana finds the club-wide space from the discussions' front page and asks her question.
    ana = logged_in(new_page, base, asker)
    ana.goto(f"{base}/discussions/")
    ana.wait_for_selector("[data-testid=discussions-index]")
    with ana.expect_navigation():
        ana.click("[data-testid=space-row] a:has-text('Questions aux pairs')")
    ana.wait_for_selector("[data-testid=discussion-space]")
    with ana.expect_navigation():
        ana.click("[data-testid=new-thread]")
    ana.fill("[data-testid=new-thread-form] input[data-testid=thread-title]", "Quel outil pour l'inventaire du parc ?")
    ana.fill("[data-testid=new-thread-form] [data-testid=compose-source]", "Nous avons **400 postes**. Vos retours ?")
    ana.check("[data-testid=thread-is-question]")
    with ana.expect_navigation():
        ana.click("[data-testid=new-thread-submit]")
    ana.wait_for_selector("[data-testid=discussion-thread]")
    assert ana.inner_text("h1[data-testid=thread-title]") == "Quel outil pour l'inventaire du parc ?"
    assert ana.locator("[data-testid=badge-question]").count() == 1
    assert ana.inner_html("[data-testid=post-1] [data-testid=post-body]").count("<strong>400 postes</strong>") == 1
    thread = Thread.objects.get(space=club_wide_space)
    assert thread.is_question and thread.author == asker

    # Carla, then Bruno, answer.
    carla = logged_in(new_page, base, first)
    answer(carla, base, thread, "Un tableur partagé suffit au début.")
    bruno = logged_in(new_page, base, second)
    answer(bruno, base, thread, "GLPI avec l'agent d'inventaire : nous l'utilisons depuis trois ans.")
    assert list(Post.objects.filter(thread=thread).values_list("number", "author")) == [
        (1, asker.pk),
        (2, first.pk),
        (3, second.pk),
    ]
    # Only the one who asked is offered to mark a solution.
    open_thread(bruno, base, thread)
    assert bruno.locator("[data-testid=mark-solution-3]").count() == 0

    # Ana marks Bruno's answer as the solution.
    open_thread(ana, base, thread)
    assert ana.locator("[data-testid=solution]").count() == 0
    with ana.expect_navigation():
        ana.click("[data-testid=mark-solution-3]")
    open_thread(ana, base, thread)
    assert Thread.objects.get(pk=thread.pk).solution.number == 3
    assert ana.locator("[data-testid=badge-solved]").count() == 1
    solution = ana.locator("[data-testid=solution]")
    assert "GLPI" in solution.inner_text()
    assert solution.locator("[data-testid=post-3-solution]").count() == 1
    # Right under the question: after the opening post, before every reply (Carla's came first in time).
    order = ana.evaluate(
        """() => [...document.querySelectorAll(
            "[data-testid=post-1], [data-testid=solution], [data-testid=post-2], [data-testid=post-3]"
        )].map(e => e.dataset.testid)"""
    )
    assert order == ["post-1", "solution", "post-2", "post-3"]

    # Others see it too.
    open_thread(carla, base, thread)
    assert "GLPI" in carla.inner_text("[data-testid=solution]")


def test_a_basic_member_at_a_cluster_s_space_is_told_it_is_for_premium_members(live_server, new_page, club):
    base = live_server.url
    index = WorkingGroupIndexPageFactory(parent=club)
    cluster = make_group(index, title="Sécurité", kind="cluster", visibility="premium")
    space = Space.objects.get(group=cluster)
    basic = make_member("basic", username="dina@example.org")

    page = logged_in(new_page, base, basic)
    response = page.goto(f"{base}{space.get_absolute_url()}")
    assert response.status == 403
    page.wait_for_selector("[data-testid=forbidden-reason]")
    assert page.locator("[data-testid=upgrade-link]").first.is_visible()
    assert page.locator("[data-testid=discussion-space]").count() == 0
    assert page.locator("[data-testid=new-thread]").count() == 0


def test_a_private_group_s_space_is_not_found_by_an_outsider_and_a_visitor_is_asked_to_log_in(
    live_server, new_page, club, club_wide_space
):
    base = live_server.url
    index = WorkingGroupIndexPageFactory(parent=club)
    member = make_member("premium", username="gina@example.org")
    outsider = make_member("premium", username="otto@example.org")
    board = make_group(index, title="Conseil", visibility="private", members=[member])
    space = Space.objects.get(group=board)

    visitor = new_page()
    visitor.goto(f"{base}{club_wide_space.get_absolute_url()}")
    assert "/compte/connexion/" in visitor.url

    page = logged_in(new_page, base, outsider)
    assert page.goto(f"{base}{space.get_absolute_url()}").status == 404
    page.goto(f"{base}/discussions/")
    page.wait_for_selector("[data-testid=discussions-index]")
    assert "Conseil" not in page.inner_text("main")

    inside = logged_in(new_page, base, member)
    assert inside.goto(f"{base}{space.get_absolute_url()}").status == 200
    inside.wait_for_selector("[data-testid=discussion-space]")
