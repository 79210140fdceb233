"""What the lifecycle tells the user, in one place: each message says what happened, what it
means for the pipelines, and what to do next. The rules that raise them live with the operations."""

from __future__ import annotations

from pulumi_mixpanel.core.home import Home

RETAIN_HINT = (
    "To drop it from the stack and leave it running, set `retain_on_delete` on the resource "
    "(Python: `opts=pulumi.ResourceOptions(retain_on_delete=True)`, YAML: `options: retainOnDelete: true`), "
    "run `pulumi up`, then remove it from the program (or run `pulumi state delete <urn>`)."
)
NOT_RETURNED_BY_MIXPANEL = "Mixpanel does not return it for an existing pipeline: write it in the program"


def pipeline_exists(existing: list[str], pipeline_type: str) -> str:
    return (
        f"the project already has a pipeline named {', '.join(existing)}, which is the name this {pipeline_type} "
        "pipeline would get. If this resource is new, set adopt_existing=True to take it over (its editable "
        "settings are then set to the program's); a replacement never takes over an existing pipeline, which may "
        "be someone else's. Otherwise cancel or rename that pipeline, or change the settings that make the name "
        "(trial, data_source, frequency, schema_type)."
    )


def create_gave_up(attempts: int, error: object, expected: list[str]) -> str:
    return (
        f"gave up after {attempts} attempts ({error}). No pipeline named {', '.join(expected)} appeared in the "
        "project's jobs, so nothing was left behind; run `pulumi up` again"
    )


def create_refused(pipeline_type: str, reason: str) -> str:
    hint = ""
    if "exist" in reason.lower():
        hint = (
            " If an earlier `pulumi up` was interrupted after Mixpanel created it, or it was made outside "
            "Pulumi, set adopt_existing=True to take it over instead of creating it."
        )
    return f"Mixpanel refused to create the {pipeline_type} pipeline: {reason}.{hint}"


def created_but_not_paused(names: list[str], error: object) -> str:
    return (
        f"created {', '.join(names)} but could not pause it: {error}. The state records it as running; run "
        "`pulumi up` again to pause it."
    )


def partial_adoption(present: list[str], missing: list[str]) -> str:
    return (
        f"only some of this configuration's pipelines exist ({', '.join(present)}); {', '.join(missing)} does "
        "not, and Mixpanel creates them together. Adopt it with a configuration that matches what exists (e.g. "
        "data_source), or remove the existing pipeline first."
    )


def adopted_elsewhere(names: list[str]) -> str:
    return f"{', '.join(names)} is already managed by another resource of this deployment"


def sync_differs(name: str, reported: bool, wanted: object) -> str:
    return (
        f"{name} reports sync_enabled={str(reported).lower()} in the jobs listing, but the program sets "
        f"sync={wanted}; sync cannot be changed in place. Set sync={reported} to adopt it as it is."
    )


def elsewhere(names: list[str], recorded: Home, current: Home, moved: list[str], how_to_move: str) -> str:
    return (
        f"{', '.join(names)} lives in Mixpanel {recorded.describe()}, but the provider now reaches "
        f"{current.describe()} ({', '.join(moved)} changed). Nothing was changed. To keep managing it, set "
        f"{', '.join(moved)} back. {how_to_move}"
    ).strip()


def update_interrupted(resource_id: str, took: str, error: object) -> str:
    return (
        f"the update of {resource_id} stopped part-way: {took}: {error}. The state records what Mixpanel has "
        "now; run `pulumi up` again to finish the update."
    )


def update_taken_back(resource_id: str, took: str, error: object) -> str:
    return (
        f"the update of {resource_id} failed: {took}: {error}. What had landed was taken back, so Mixpanel and "
        "the state still agree; run `pulumi up` again."
    )


def update_left_applied(resource_id: str, took: str, error: object, kept: str) -> str:
    return (
        f"the update of {resource_id} stopped part-way: {took}: {error}. {kept[:1].upper()}{kept[1:]} could not "
        "be taken back, and this provider cannot record a partial update: the state still holds the values "
        "from before it. Run `pulumi up` again to finish the update, and do not change these inputs back until "
        "it has succeeded."
    )


def narrowing_refused(data_source: str, still_there: list[str]) -> str:
    return (
        f"narrowing the trial to data_source={data_source!r} would leave {', '.join(still_there)} running "
        "unmanaged, and Mixpanel does not cancel a trial pipeline before its 30 days are over. Keep data_source "
        "unset until it has ended."
    )


def trial_not_cancelled(name: str, reason: str) -> str:
    return (
        f"Mixpanel refused to cancel trial pipeline {name!r} ({reason}). Trial pipelines cannot be deleted; they "
        f"stop by themselves after 30 days. {RETAIN_HINT}"
    )


def trial_pipeline_lost(missing: list[str], kept: str, data_source: str) -> str:
    narrowing = f"set data_source={data_source!r} to keep managing {kept}; " if kept else ""
    return (
        f"trial pipeline {', '.join(missing)} no longer exists in Mixpanel (it was cancelled outside Pulumi) and "
        f"cannot be restored: Mixpanel allows one trial per project. To go on, {narrowing}or stop managing the "
        f"trial. {RETAIN_HINT}"
    )


TRIAL_CANNOT_BE_REPLACED = (
    "changing it replaces the pipeline, and a trial pipeline cannot be replaced: Mixpanel does not cancel a "
    "trial before its 30 days are over, and a project gets one trial. Keep the current value, or stop managing "
    f"the trial first. {RETAIN_HINT}"
)

__all__ = [
    "NOT_RETURNED_BY_MIXPANEL",
    "RETAIN_HINT",
    "TRIAL_CANNOT_BE_REPLACED",
    "adopted_elsewhere",
    "create_gave_up",
    "create_refused",
    "created_but_not_paused",
    "elsewhere",
    "failing_exports",
    "narrowing_refused",
    "partial_adoption",
    "pipeline_exists",
    "sync_differs",
    "trial_not_cancelled",
    "trial_pipeline_lost",
    "update_interrupted",
    "update_left_applied",
    "update_taken_back",
]


def failing_exports(names: list[str], recent_failures: int, last_failure_at: str | None, still_failing: bool) -> str:
    ending = f", the last ending at {last_failure_at}" if last_failure_at else ""
    now = "It is still failing" if still_failing else "Later tasks have succeeded"
    return (
        f"Mixpanel pipeline {', '.join(names)}: {recent_failures} export task"
        f"{'s' if recent_failures != 1 else ''} failed or timed out in its last 7 days of tasks{ending}. {now}. "
        "Check that Mixpanel can still write to the destination: that the bucket, container or dataset exists, and "
        "that the role, service principal, password or share it writes with still has access. A refresh reports "
        "this until those tasks are older than 7 days."
    )
