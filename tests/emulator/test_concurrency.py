"""Many requests at once: the state stays consistent and every request is answered."""

from concurrent.futures import ThreadPoolExecutor

from .emulator_support import Api, fields_for

# The field that moves each type's destination, so that every create below writes somewhere else.
PREFIX_FIELD = {
    "bigquery": "bq_prefix",
    "snowflake": "snowflake_prefix",
    "aws": "s3_prefix",
    "s3-raw": "s3_prefix",
    "azure-blob": "prefix",
    "azure-raw": "prefix",
    "gcs-schema": "gcs_prefix",
    "gcs-raw": "gcs_prefix",
}
SCHEMATIZED = ("bigquery", "snowflake", "aws", "azure-blob", "gcs-schema")


def every_name():
    """Every (type, frequency, data_source, schema_type) a non-trial create can name: 36 pipelines."""
    for pipeline_type in PREFIX_FIELD:
        for frequency in ("daily", "hourly"):
            if pipeline_type in SCHEMATIZED:
                yield pipeline_type, {"frequency": frequency, "schema_type": "monoschema"}
                yield pipeline_type, {"frequency": frequency, "schema_type": "multischema"}
                yield pipeline_type, {"frequency": frequency, "data_source": "people"}
            else:
                yield pipeline_type, {"frequency": frequency}


def test_fifty_concurrent_creates_and_reads(make_emulator):
    server = make_emulator(relax_limits=True)
    variants = list(every_name())
    assert len(variants) == 36
    # 36 distinct names, then 14 more creates that reuse a name with another destination.
    requests = [fields_for(t, **extra, **{PREFIX_FIELD[t]: f"p{i}/"}) for i, (t, extra) in enumerate(variants)]
    requests += [
        fields_for(t, **extra, **{PREFIX_FIELD[t]: f"again{i}/"}) for i, (t, extra) in enumerate(variants[:14])
    ]
    clients = [Api(server.base_url) for _ in requests]

    def work(index):
        client = clients[index]
        created = client.post("create", requests[index])
        jobs = client.get("jobs")
        return created.status_code, created.json(), jobs.status_code

    with ThreadPoolExecutor(len(requests)) as pool:
        results = list(pool.map(work, range(len(requests))))
    assert all(jobs == 200 for _, _, jobs in results)
    created = [body["pipeline_names"][0] for status, body, _ in results if status == 200]
    refused = [body["error"] for status, body, _ in results if status != 200]
    assert len(created) == len(set(created)) == 36  # each name once, whichever of its two creates won
    assert len(refused) == 14 and all(error.endswith("already exists") for error in refused)
    assert {p["name"] for p in clients[0].admin("GET", "pipelines").json()["pipelines"]} == set(created)
    assert clients[0].admin("GET", "stats").json()["requests"] == 100


def test_fifty_concurrent_creates_to_one_destination_make_one_pipeline(make_emulator):
    server = make_emulator(relax_limits=True)
    clients = [Api(server.base_url) for _ in range(50)]
    with ThreadPoolExecutor(50) as pool:
        statuses = list(pool.map(lambda client: client.post("create", fields_for("gcs-raw")).status_code, clients))
    assert sorted(statuses) == [200] + [400] * 49
    assert len(clients[0].admin("GET", "pipelines").json()["pipelines"]) == 1
