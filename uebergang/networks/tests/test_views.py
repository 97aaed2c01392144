def test_smoke(coordinator_client, network):
    r = coordinator_client.get(f"/n/{network.slug}/partner/")
    assert r.status_code == 200, r.content[:3000]
