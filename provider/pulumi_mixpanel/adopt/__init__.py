"""`mixpanel-adopt`: bring the pipelines a project already has under Pulumi, in one command.

It lists the project's pipelines, groups what one create made (a trial's events and people
pipelines), recovers what their names and the jobs listing tell, and writes a bulk-import file
for `pulumi import --file` or a program fragment (Python, YAML, TypeScript) with a clearly marked
TODO for each input Mixpanel cannot return. It never writes a credential.
"""
