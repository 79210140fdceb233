"""The plugin front end: the `mixpanel` provider plugin, for programs in every Pulumi language.

`pulumi-resource-mixpanel` (a console script of this distribution) serves it; its schema is
generated from the core's models (`schema.py`, checked in as `schema.json`).
"""
