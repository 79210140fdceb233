"""Pipelines declared from stack config, so end-to-end tests can change them between runs.

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
