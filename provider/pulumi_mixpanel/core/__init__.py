"""The core: everything about Mixpanel pipelines that is not Pulumi.

Input models (one per destination family), pipeline names, change planning, settings, the
lifecycle rules both front ends share, and the HTTP client. Nothing here imports `pulumi`.
"""
