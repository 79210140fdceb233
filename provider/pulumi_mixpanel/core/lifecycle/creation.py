"""A create made exactly once, even when Mixpanel's answer is lost (its API has no idempotency key).

The project's jobs are listed before the create is sent. When a create's outcome is unknown
(timeout, reset, 5xx, garbled answer, any failure while reading the answer) it may still have
happened, so before sending it again the jobs are listed: the expected pipelines, if they
appeared since the first listing and no other operation of this process claimed them, are the
ones just created. A resend refused as a duplicate proves the same. Only if they are absent is
the create resent.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from pulumi_mixpanel.core.errors import (
    BadRequestError,
    MixpanelError,
    ServerError,
    TransportError,
    UnexpectedResponseError,
)
from pulumi_mixpanel.core.lifecycle import messages
from pulumi_mixpanel.core.lifecycle.listing import JobsListings
from pulumi_mixpanel.core.models import PipelineArgs

if TYPE_CHECKING:
    from pulumi_mixpanel.core.client import MixpanelClient

logger = logging.getLogger(__name__)

MAX_CREATE_ATTEMPTS = 3


@dataclass(frozen=True)
class Created:
    pipeline_names: list[str]
    # Only create's answer carries a Mixpanel-hosted dataset URL; a listed pipeline has none.
    bigquery_dataset_name: Optional[str] = None


class Claims:
    """Which pipeline names this process's resources hold. Thread-safe.

    - claimed: names this process created or adopted; a lost answer never adopts one of them;
    - names of resources in the state (seen at check): a create of one of them is a replacement,
      and adoption belongs to a resource's first create only.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._claimed: set[str] = set()
        self._in_state: set[str] = set()

    def claim(self, names: list[str]) -> bool:
        """Take the names, unless one of them is taken already."""
        with self._lock:
            if any(name in self._claimed for name in names):
                return False
            self._claimed.update(names)
            return True

    def take(self, names: list[str]) -> None:
        """Mixpanel's own answer to a create: the names are its."""
        with self._lock:
            self._claimed.update(names)

    def release(self, names: list[str]) -> None:
        with self._lock:
            self._claimed.difference_update(names)

    def note_in_state(self, names: list[str]) -> None:
        with self._lock:
            self._in_state.update(names)

    def is_replacement(self, names: list[str]) -> bool:
        with self._lock:
            return any(name in self._in_state for name in names)


def create_exactly_once(
    client: Callable[[], MixpanelClient],
    model: PipelineArgs,
    fields: list[tuple[str, Any]],
    names_before: frozenset[str],
    jobs: JobsListings,
    claims: Claims,
    sleep: Callable[[float], None],
) -> Created:
    """Create the pipeline(s) of `model` once; `names_before` is the listing taken before."""
    last_error: Optional[MixpanelError] = None
    try:
        for attempt in range(1, MAX_CREATE_ATTEMPTS + 1):
            try:
                answer = client().create(fields)
                claims.take(answer["pipeline_names"])
                return Created(answer["pipeline_names"], answer["bigquery_dataset_name"])
            except TransportError as error:
                if not error.may_have_reached_server:
                    raise
                last_error = error
            except (ServerError, UnexpectedResponseError) as error:
                last_error = error
            except BadRequestError as error:
                if last_error is None:
                    raise BadRequestError(
                        messages.create_refused(model.TYPE, error.message),
                        operation="create",
                        http_status=error.http_status,
                    ) from None
                found = _created_since(model, names_before, jobs, claims)
                if found:
                    return Created(found)
                raise
            logger.warning("create attempt %d: outcome unknown (%s); looking the pipeline up", attempt, last_error)
            found = _created_since(model, names_before, jobs, claims)
            if found:
                logger.info("the create did happen: adopting %s", found)
                return Created(found)
            if attempt < MAX_CREATE_ATTEMPTS:
                sleep(random.uniform(0.2, 0.6) * attempt)
    finally:
        jobs.forget()
    raise MixpanelError(
        messages.create_gave_up(MAX_CREATE_ATTEMPTS, last_error, model.expected_pipeline_names()),
        operation="create",
    )


def _created_since(model: PipelineArgs, names_before: frozenset[str], jobs: JobsListings, claims: Claims) -> list[str]:
    """The expected names, if every one appeared after `names_before` and is claimed now."""
    expected = model.expected_pipeline_names()
    listed = jobs.fresh().names
    if any(name in names_before or name not in listed for name in expected):
        return []
    return expected if claims.claim(expected) else []


__all__ = ["MAX_CREATE_ATTEMPTS", "Claims", "Created", "create_exactly_once"]
