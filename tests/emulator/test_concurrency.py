"""Many requests at once: the state stays consistent and every request is answered."""

from concurrent.futures import ThreadPoolExecutor

from .emulator_support import Api, fields_for


def test_fifty_concurrent_creates_and_reads(make_emulator):
    server = make_emulator(relax_limits=True)
    clients = [Api(server.base_url) for _ in range(50)]

    def work(index):
        client = clients[index]
        created = client.post("create", fields_for("gcs-raw", gcs_prefix=f"p{index}/"))
        jobs = client.get("jobs")
        return created.status_code, created.json()["pipeline_names"][0], jobs.status_code

    with ThreadPoolExecutor(50) as pool:
        results = list(pool.map(work, range(50)))
    assert all(created == 200 and jobs == 200 for created, _, jobs in results)
    names = {name for _, name, _ in results}
    assert len(names) == 50 and "events-daily-gcs-raw" in names
    assert len(clients[0].admin("GET", "pipelines").json()["pipelines"]) == 50
    assert clients[0].admin("GET", "stats").json()["requests"] == 100


def test_fifty_concurrent_creates_to_one_destination_make_one_pipeline(make_emulator):
    server = make_emulator(relax_limits=True)
    clients = [Api(server.base_url) for _ in range(50)]
    with ThreadPoolExecutor(50) as pool:
        statuses = list(pool.map(lambda client: client.post("create", fields_for("gcs-raw")).status_code, clients))
    assert sorted(statuses) == [200] + [400] * 49
    assert len(clients[0].admin("GET", "pipelines").json()["pipelines"]) == 1
