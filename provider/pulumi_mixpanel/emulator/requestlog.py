"""The log of API requests the admin API shows, and the server's traffic counters.

The Authorization header is never recorded, only who the caller was (see auth.Caller).
"""

from __future__ import annotations

import threading
from collections import deque

MAX_LOGGED_REQUESTS = 10_000  # oldest entries are dropped beyond this


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict] = deque(maxlen=MAX_LOGGED_REQUESTS)

    def record(self, entry: dict) -> None:
        with self._lock:
            self._entries.append(entry)

    def list(self) -> list[dict]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class TrafficStats:
    """Accepted TCP connections, completed TLS handshakes and API requests served."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.connections = 0
        self.tls_handshakes = 0
        self.requests = 0

    def connection_accepted(self) -> None:
        with self._lock:
            self.connections += 1

    def tls_handshake_completed(self) -> None:
        with self._lock:
            self.tls_handshakes += 1

    def request_served(self) -> None:
        with self._lock:
            self.requests += 1

    def snapshot(self) -> dict:
        with self._lock:
            return {"connections": self.connections, "tls_handshakes": self.tls_handshakes, "requests": self.requests}
