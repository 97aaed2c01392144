import pytest
from django.core.management import CommandError, call_command

from uebergang.accounts.models import User
from uebergang.core.models import HistoryEvent, Network, NetworkRole


@pytest.mark.django_db
def test_create_network_then_grant_role_creates_account_and_role(capsys):
    call_command(
        "create_network", slug="goettingen", name="Netzwerk Göttingen", valid_from="2017-01-01"
    )
    call_command(
        "grant_role",
        network="goettingen",
        email="Leitung@Example.org",
        role="coordination",
        name="Lea Leitung",
    )

    network = Network.objects.get(slug="goettingen")
    assert network.name == "Netzwerk Göttingen"
    assert str(network.valid_from) == "2017-01-01"
    user = User.objects.get(email="leitung@example.org")
    assert NetworkRole.objects.get(network=network, user=user).role == "coordination"
    out = capsys.readouterr().out
    assert "Konto angelegt: leitung@example.org / Passwort: " in out
    assert HistoryEvent.objects.filter(network=network, action="role").count() == 1


@pytest.mark.django_db
def test_create_network_refuses_a_taken_slug_and_changes_nothing():
    call_command("create_network", slug="goettingen", name="Netzwerk Göttingen")
    with pytest.raises(CommandError, match="Der Kurzname „goettingen“ ist schon vergeben."):
        call_command("create_network", slug="goettingen", name="Anderes Netzwerk")
    assert Network.objects.count() == 1


@pytest.mark.django_db
def test_grant_role_refuses_an_unknown_network():
    with pytest.raises(CommandError, match="Kein Netzwerk mit dem Kurznamen „nirgendwo“."):
        call_command("grant_role", network="nirgendwo", email="a@example.org", role="member")
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_load_demo_command_is_idempotent(capsys):
    call_command("load_demo")
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "geladen." in out
    assert "ist schon vorhanden." in out
    assert Network.objects.filter(slug="osterode").count() == 1
