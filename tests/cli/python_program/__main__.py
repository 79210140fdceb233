"""Pipelines declared from stack config, so end-to-end tests can change them between runs (and,
with e2e:listPipelines, the project's pipelines as the package's functions read them).

e2e:pipelines is a JSON object: resource name -> {"class": "AwsPipelineArgs", "args": {...},
"secret_args": {"client_secret": "<config key holding it as a secret>"}, "retain": false}.
"""

import pulumi

import pulumi_mixpanel

config = pulumi.Config("e2e")
for name, spec in config.require_object("pipelines").items():
    args = dict(spec["args"])
    for field, key in spec.get("secret_args", {}).items():
        args[field] = config.require_secret(key)
    pipeline = pulumi_mixpanel.MixpanelPipeline(
        name,
        getattr(pulumi_mixpanel, spec["class"])(**args),
        opts=pulumi.ResourceOptions(retain_on_delete=spec.get("retain", False)),
    )
    pulumi.export(name, pipeline.pipeline_names)

if config.get_bool("listPipelines"):
    # What the project has, and how each pipeline is doing: reads, made by the program itself.
    pulumi.export(
        "listed",
        {p.name: pulumi_mixpanel.get_pipeline_status(p.name).health.state for p in pulumi_mixpanel.get_pipelines()},
    )
