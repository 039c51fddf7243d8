from tests.factories.events import make_event


def test_an_event_gets_its_utc_times(agenda):
    event = make_event(agenda)
    assert event.starts_at is not None and event.live
