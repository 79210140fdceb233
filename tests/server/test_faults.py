"""Faults at every step, through both front ends: each operation converges (0 duplicates,
0 orphans, 0 lost)."""

from __future__ import annotations

import os
import random

import grpc
import pytest

from harness import inputs as valid
from harness.servers import FRONT_ENDS, PartialState, emulator_settings, start
from tests.support.convergence import ResourceState, Tally, attempt_twice, compare

READ_TIMEOUT = 0.5
# (kind, details) of every fault the suite injects.
FAULTS = {
    "429+retry-after": ("status", {"status": 429, "retry_after": 1}),
    "500": ("status", {"status": 500}),
    "502": ("status", {"status": 502}),
    "503": ("status", {"status": 503}),
    "latency": ("latency", {"latency_ms": 1500}),
    "dropped-after-commit": ("drop_after_commit", {}),
}
# The API calls each Pulumi operation makes.
# (A read lists jobs only for a name status does not know.)
API_CALLS = {"create": ["create", "jobs"], "read": ["status", "jobs"], "update": ["edit"], "delete": ["cancel"]}


def aws_args(**changes):
    values = {"use_glue": None, "glue_database": None, "glue_role": None, "events": ["Signup"], **changes}
    return valid.inputs("aws", **values)


@pytest.fixture(params=FRONT_ENDS)
def server(request, emulator):
    with start(request.param) as provider_server:
        provider_server.configure({**emulator_settings(emulator.base_url), "requestTimeout": str(READ_TIMEOUT)})
        yield provider_server


def checked_inputs(server, values, olds=None):
    return server.checked(values, olds)


def run_create(server, inputs) -> ResourceState:
    result, error = attempt_twice(lambda: server.create(inputs))
    if error is not None:
        return ResourceState()
    return ResourceState(*result)


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("operation", ["create", "read", "update", "delete"])
def test_each_operation_converges_under_each_fault(server, admin, operation, fault):
    kind, details = FAULTS[fault]
    inputs = checked_inputs(server, aws_args())
    tally = Tally()
    if operation == "create":
        admin.fault("create", kind, count=1, **details)
        state = run_create(server, inputs)
        assert state.id, "create did not succeed within one user retry"
    else:
        state = ResourceState(*server.create(inputs))
        admin.fault(API_CALLS[operation][0], kind, count=1, **details)
        if operation == "read":
            result, error = attempt_twice(lambda: server.read(state.id, state.outs))
            assert error is None and result[0] == state.id
        elif operation == "update":
            news = checked_inputs(server, aws_args(events=["Signup", "Purchase"]), state.outs)
            result, error = attempt_twice(lambda: server.update(state.id, state.outs, news))
            assert error is None
            assert admin.pipeline(state.id)["params"]["events"] == ["Signup", "Purchase"]
        else:
            _, error = attempt_twice(lambda: server.delete(state.id, state.outs))
            assert error is None
            state = ResourceState()
    admin.clear_faults()
    compare(admin, state, tally)
    assert (tally.duplicates, tally.orphans, tally.lost) == (0, 0, 0)


def test_a_lost_create_answer_is_settled_from_jobs_without_a_second_create(server, admin):
    admin.fault("create", "drop_after_commit", count=1)
    state = ResourceState(*server.create(checked_inputs(server, aws_args())))
    assert [e["op"] for e in admin.requests()] == ["jobs", "create", "jobs"]
    assert [p["name"] for p in admin.pipelines()] == [state.id]


def test_a_create_that_did_not_happen_is_sent_again(server, admin):
    admin.fault("create", "status", count=1, status=503)
    state = ResourceState(*server.create(checked_inputs(server, aws_args())))
    assert [e["op"] for e in admin.requests()] == ["jobs", "create", "jobs", "create"]
    assert [p["name"] for p in admin.pipelines()] == [state.id]


def test_exhausted_retries_name_the_operation_and_the_pipeline(server, admin):
    state = ResourceState(*server.create(checked_inputs(server, aws_args())))
    admin.fault("cancel", "status", count=50, status=503)
    with pytest.raises(grpc.RpcError) as raised:
        server.delete(state.id, state.outs)
    message = raised.value.details().splitlines()[-1]
    assert "cancel" in message and state.id in message and "503" in message
    admin.fault("create", "status", count=50, status=500)
    other = checked_inputs(server, aws_args(s3_bucket="other-bucket", frequency="hourly"))
    with pytest.raises(grpc.RpcError) as raised:
        server.create(other)
    message = raised.value.details().splitlines()[-1]
    assert "create" in message and "events-hourly-aws-monoschema" in message and "nothing was left behind" in message


FAULT_RUNS = int(os.environ.get("MIXPANEL_FAULT_RUNS", "40"))


def test_randomized_faults_converge(server, admin, capsys):
    """A seeded random mix of faults over whole lifecycles; MIXPANEL_FAULT_RUNS=200 for the full run."""
    chooser = random.Random(20261127)
    tally = Tally()
    for _ in range(FAULT_RUNS):
        tally.runs += 1
        faults = {}
        for operation in API_CALLS:
            if chooser.random() < 0.6:
                name = chooser.choice(sorted(FAULTS))
                if name == "latency" and chooser.random() < 0.7:
                    name = "503"  # latency costs real seconds; keep it a minority
                faults[operation] = name
        state = _lifecycle_with_faults(server, admin, faults, tally)
        compare(admin, state, tally)
        for leftover in admin.pipelines():
            admin.cancel_behind_the_back(leftover["name"])
    print(f"\nfault-injection summary: {tally.summary()}")
    assert (tally.duplicates, tally.orphans, tally.lost) == (0, 0, 0), tally.failed_operations


def _inject(admin, operation, faults, tally):
    admin.clear_faults()
    if operation in faults:
        kind, details = FAULTS[faults[operation]]
        call = random.Random(faults[operation]).choice(API_CALLS[operation])
        admin.fault(call, kind, count=1, **details)
        tally.faults += 1


def _lifecycle_with_faults(server, admin, faults, tally) -> ResourceState:
    inputs = checked_inputs(server, aws_args())
    _inject(admin, "create", faults, tally)
    state = run_create(server, inputs)
    if not state.id:
        tally.failed_operations.append("create")
        return state
    _inject(admin, "read", faults, tally)
    result, error = attempt_twice(lambda: server.read(state.id, state.outs))
    if error is None:
        state = ResourceState(*result)
        if not state.id:
            # Gone (e.g. a cancel of an earlier run that was still in flight, held by a latency
            # fault, landed after this run's create of the same name): the engine drops it.
            return state
    else:
        tally.failed_operations.append("read")
    news = checked_inputs(server, aws_args(events=["Signup", "Purchase"]), state.outs)
    _inject(admin, "update", faults, tally)
    result, error = attempt_twice(lambda: server.update(state.id, state.outs, news))
    if error is None:
        state = ResourceState(state.id, result)
    else:
        tally.failed_operations.append("update")
    _inject(admin, "delete", faults, tally)
    _, error = attempt_twice(lambda: server.delete(state.id, state.outs))
    admin.clear_faults()
    if error is not None:
        tally.failed_operations.append("delete")
        return state
    return ResourceState()


def test_a_pause_that_fails_after_create_loses_nothing(server, admin):
    paused = checked_inputs(server, aws_args(paused=True))
    admin.fault("pause", "status", count=10, status=500)
    if server.kind == "plugin":
        # The plugin fails the create and hands the engine the state it left, which it records.
        with pytest.raises(PartialState, match="could not pause it") as failed:
            server.create(paused)
        state = ResourceState(failed.value.id, failed.value.outs)
    else:  # the dynamic provider cannot fail a create and keep it: it records the pipeline as running
        state = ResourceState(*server.create(paused))
    admin.clear_faults()
    assert [p["name"] for p in admin.pipelines()] == [state.id]  # created, and recorded in state
    assert state.outs["paused"] is False and admin.pipeline(state.id)["paused"] is False
    diff = server.diff(state.id, state.outs, paused)
    assert diff.changes and diff.replaces == []
    server.update(state.id, state.outs, paused)
    assert admin.pipeline(state.id)["paused"] is True
