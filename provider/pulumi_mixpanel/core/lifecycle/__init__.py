"""The life of one pipeline resource, the same for both front ends, split by job:

- `operations`: check, diff, create, read (refresh and import), update and delete;
- `creation`: the exactly-once create and the names this process holds;
- `adoption`: taking existing pipelines over, and what an import recovers;
- `listing`: the project's jobs listing, fresh or shared by a refresh burst;
- `updates`: an update's calls, and what Mixpanel has when one fails;
- `trials`: what a trial forbids;
- `messages`: what the user is told.
"""

from pulumi_mixpanel.core.lifecycle.adoption import recovered_inputs
from pulumi_mixpanel.core.lifecycle.listing import JOBS_IDLE_SECONDS, JOBS_MAX_AGE_SECONDS, JobsListing
from pulumi_mixpanel.core.lifecycle.operations import CheckOutcome, PipelineLifecycle, default_client, utc_now

__all__ = [
    "JOBS_IDLE_SECONDS",
    "JOBS_MAX_AGE_SECONDS",
    "CheckOutcome",
    "JobsListing",
    "PipelineLifecycle",
    "default_client",
    "recovered_inputs",
    "utc_now",
]
