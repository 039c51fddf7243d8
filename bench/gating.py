"""How much does the access policy cost a page? Run: `.venv/bin/python bench/gating.py [requests]`.

Serves, in one run and on a throw-away database, the same page to the same premium member with the
policy's serving hook taken out (the baseline: no gating) and with it in place (the policy decides,
stores the decision and adds never-cache headers), alternating the two, and prints each median and the
ratio against the baseline. Two pages: a members-only standard page, and a premium technology-watch
article with topics and a cluster (DESIGN.md's case: a premium article served to a premium member).
Without the hook the article still asks the policy whether to show its body (its template needs the
answer), so its ratio measures the serving hook's share. DESIGN.md's target for gating is 1.15.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("AXES_ENABLED", "false")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import get_runner, setup_test_environment  # noqa: E402
from wagtail import hooks  # noqa: E402

from members.wagtail_hooks import enforce_page_access  # noqa: E402


def timed(client, url, repeats):
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def compare(client, label, url, repeats):
    with_policy = list(hooks._hooks["on_serve_page"])
    without_policy = [(fn, order) for fn, order in with_policy if fn is not enforce_page_access]
    assert len(without_policy) == len(with_policy) - 1
    timed(client, url, 20)  # warm the caches and the code paths
    # Interleave the two so that the machine's noise falls on both alike.
    open_runs, gated_runs = [], []
    try:
        for _ in range(5):
            hooks._hooks["on_serve_page"] = without_policy
            open_runs.append(timed(client, url, repeats // 5))
            hooks._hooks["on_serve_page"] = with_policy
            gated_runs.append(timed(client, url, repeats // 5))
    finally:
        hooks._hooks["on_serve_page"] = with_policy
    baseline, gated = statistics.median(open_runs), statistics.median(gated_runs)
    print(f"{label}, policy hook out (baseline): {baseline * 1000:.2f} ms")
    print(f"{label}, policy hook in:             {gated * 1000:.2f} ms")
    print(f"{label}, ratio: {gated / baseline:.3f} (target <= 1.15)")


def main(repeats):
    from django.conf import settings

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    try:
        from tests.factories.home import StandardPageFactory, make_site
        from tests.factories.members import make_member

        home = make_site()
        body = [{"type": "paragraph", "value": "<p>" + "Texte du club. " * 200 + "</p>"}]
        StandardPageFactory(parent=home, slug="membres", title="Membres", audience="members", body=body)
        from tests.factories.knowledge import TechWatchIndexPageFactory, make_article
        from tests.factories.working_groups import WorkingGroupIndexPageFactory, make_group

        clusters = WorkingGroupIndexPageFactory(parent=home)
        cluster = make_group(clusters, kind="cluster", visibility="premium", title="Sécurité")
        watch = TechWatchIndexPageFactory(parent=home)
        article = make_article(watch, body=body, topics=["cybersécurité", "NIS2"], clusters=[cluster])
        client = Client()
        client.force_login(make_member("premium"))
        for label, url in (("members-only page", "/membres/"), ("premium watch article", article.url)):
            compare(client, label, url, repeats)
    finally:
        runner.teardown_databases(old_config)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
