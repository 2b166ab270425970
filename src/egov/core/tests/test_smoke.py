def test_health_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_officials_fixture_builds_the_tree(officials, tree):
    assert officials["specialist"].has_role("specialist")
    assert tree["it"].path.startswith(tree["stttt"].path)
