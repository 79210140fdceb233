"""`MixpanelPipeline`: the resource a Python program declares."""

from __future__ import annotations

from typing import Any, Optional

import pulumi
import pulumi.dynamic

from pulumi_mixpanel.core.models import ALL_SECRET_FIELDS, PipelineArgs, fields_with
from pulumi_mixpanel.core.state import OUTPUT_FIELDS
from pulumi_mixpanel.dynamic.provider import MixpanelProvider


class MixpanelPipeline(pulumi.dynamic.Resource, module="mixpanel", name="MixpanelPipeline"):
    """A Mixpanel data-export pipeline (one create: one or, for a trial, two Mixpanel pipelines).

    `args` is one of the per-destination input classes, e.g. `AwsPipelineArgs(...)`; any field
    may be a plain value or a Pulumi Output such as `bucket.bucket`.
    """

    pipeline_names: pulumi.Output[list]
    """The names Mixpanel gave the pipelines (also the resource id, joined with ',')."""
    bigquery_dataset_name: pulumi.Output[Optional[str]]
    """For a Mixpanel-hosted BigQuery export, the dataset URL Mixpanel returned."""
    status: pulumi.Output[dict]
    """Task counts by state (e.g. {"succeeded": 12}), refreshed by `pulumi refresh`."""
    unverified_inputs: pulumi.Output[list]
    """Inputs of an adopted pipeline that Mixpanel cannot confirm (its API returns no configuration)."""
    health: pulumi.Output[str]
    """`exporting`, `failing`, `paused`, `finished` or `starting`, from the last refresh's task list."""
    last_exported_date: pulumi.Output[Optional[str]]
    """The latest day a task exported successfully (YYYY-MM-DD), as of the last refresh."""
    recent_failures: pulumi.Output[int]
    """Failed or timed-out tasks among those that started in the 7 days up to the latest task."""
    last_failure_at: pulumi.Output[Optional[str]]
    """When the latest failed or timed-out task ended."""
    home: pulumi.Output[dict]
    """Where the pipelines live: {"projectId": ..., "region": ...} (or "endpoint"), from the settings that made them."""

    def __init__(self, resource_name: str, args: PipelineArgs, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        if not isinstance(args, PipelineArgs):
            raise TypeError(
                f"MixpanelPipeline {resource_name!r}: args must be one of the pipeline input classes "
                f"(BigQueryPipelineArgs, AwsPipelineArgs, ...), not {type(args).__name__}"
            )
        props: dict[str, Any] = {name: getattr(args, name) for name in type(args).model_fields}
        for name in fields_with(type(args), "secret"):
            if props.get(name) is not None:
                props[name] = pulumi.Output.secret(props[name])
        props.update(dict.fromkeys(OUTPUT_FIELDS))
        secret_outputs = pulumi.ResourceOptions(additional_secret_outputs=sorted(ALL_SECRET_FIELDS))
        super().__init__(MixpanelProvider(), resource_name, props, pulumi.ResourceOptions.merge(opts, secret_outputs))
