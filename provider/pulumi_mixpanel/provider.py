"""Kept importable on purpose: states written by pulumi-mixpanel 0.1.0 hold the dynamic provider
pickled by reference as `pulumi_mixpanel.provider.MixpanelProvider`. It lives in `dynamic/` now."""

from pulumi_mixpanel.dynamic.provider import MixpanelProvider

__all__ = ["MixpanelProvider"]
