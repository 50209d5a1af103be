"""core.demo: every app seeds its own demo part, in dependency order, only when installed."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from accounts.models import User
from core import demo
from core.demo import DemoPart
from organizations.models import Membership


def part(label, after=()):
    return DemoPart(label, lambda: 0, tuple(after))


def labels(parts):
    return [p.app_label for p in parts]


def test_a_part_runs_after_the_parts_it_names_otherwise_in_the_given_order():
    parts = [part("giving", after=["organizations"]), part("accounts"), part("organizations", ["accounts"])]
    assert labels(demo.ordered(parts)) == ["accounts", "organizations", "giving"]
    assert labels(demo.ordered([part("b"), part("a")])) == ["b", "a"]


def test_after_an_app_without_a_part_is_no_wait():
    assert labels(demo.ordered([part("grants", after=["volunteering"])])) == ["grants"]


def test_parts_waiting_for_each_other_are_refused():
    with pytest.raises(ImproperlyConfigured, match="wait for each other"):
        demo.ordered([part("a", after=["b"]), part("b", after=["a"])])


def test_the_installed_apps_parts_run_by_layer(monkeypatch):
    assert labels(demo.parts()) == [
        "accounts",
        "organizations",
        "giving",
        "transparency",
        "grants",
        "assistance",
        "academy",
        "volunteering",
        "dialogue",
    ]
    # A part of an app that is not (or no longer) installed does not run.
    monkeypatch.setitem(demo._parts, "uninstalled", part("uninstalled"))
    assert "uninstalled" not in labels(demo.parts())


def test_register_needs_a_module_of_an_installed_app():
    def seed():
        return 0

    seed.__module__ = "not_an_app.demo"
    with pytest.raises(ImproperlyConfigured):
        demo.register()(seed)


@pytest.mark.django_db
def test_seed_demo_says_what_each_part_created(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "accounts: 5 demo users created; log in as admin@cea.test / demo-pass-2026"
    assert out[1] == "organizations: 12 demo organisations created"
    assert out[2] == "giving: 240 giving records created"
    assert out[-1] == (
        "Demo data ready (accounts, organizations, giving, transparency, grants, assistance, academy,"
        " volunteering, dialogue)."
    )
    # `make run` signs in with the same accounts as before the parts moved into the apps.
    admin = User.objects.get(email="admin@cea.test")
    assert admin.is_staff and admin.is_superuser and admin.check_password("demo-pass-2026")
    assert User.objects.get(email="milan@cea.test").check_password("demo-pass-2026")
    assert Membership.objects.filter(user__email="drita@cea.test", role="owner").count() == 4
