"""Every registry an app plugs into refuses a second, different registration of a name."""

from __future__ import annotations

import pytest

from uebergang.core import demo, exchange, panels, permissions


def test_a_permission_or_relation_is_registered_once():
    with pytest.raises(ValueError, match="registered twice"):
        permissions.register_rule("network.view", lambda access, obj: True)
    with pytest.raises(ValueError, match="registered twice"):
        permissions.register_relation("represents", lambda user, network, obj: True)


def test_an_exchange_part_is_registered_once():
    exchange.registered_parts()
    with pytest.raises(ValueError, match="registered twice"):
        exchange.register_part("networks", 10, lambda n, c: {}, lambda s, c: None)


def test_a_demo_part_is_registered_once():
    names = [part.name for part in demo.demo_parts()]
    assert names == ["networks", "bodies", "meetings"]
    with pytest.raises(ValueError, match="registered twice"):
        demo.register_demo_part("networks", 10, lambda build: None)


def test_a_panel_is_registered_once():
    assert [p.name for p in panels.panels_for(_body_model())] == ["meetings"]
    with pytest.raises(ValueError, match="registered twice"):
        panels.register_panel(_body_model(), "meetings", 10, lambda request, obj: "")


def test_the_demo_story_moves_by_whole_weeks():
    import datetime

    assert demo.story_shift(demo.STORY_DAY) == datetime.timedelta(0)
    assert demo.story_shift(demo.STORY_DAY + datetime.timedelta(days=6)) == datetime.timedelta(0)
    assert demo.story_shift(demo.STORY_DAY + datetime.timedelta(days=400)) == datetime.timedelta(
        weeks=57
    )


def _body_model():
    from django.apps import apps

    return apps.get_model("bodies", "Body")
