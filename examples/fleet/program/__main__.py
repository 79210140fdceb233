"""One Mixpanel project's pipelines, declared from the stack's config (`fleet:pipelines`, written
by fleet.py from the inventory); the project's settings are the stack's `mixpanel:*` config."""

import pulumi

import pulumi_mixpanel

config = pulumi.Config("fleet")
health = {}
for name, spec in config.require_object("pipelines").items():
    args = getattr(pulumi_mixpanel, spec["class"])(**spec.get("args", {}))
    pipeline = pulumi_mixpanel.MixpanelPipeline(name, args)
    health[name] = pipeline.health

pulumi.export("health", health)
