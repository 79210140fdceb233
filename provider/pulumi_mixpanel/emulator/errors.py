"""The one error type the emulator's API layer raises: an HTTP status plus a message."""


class ApiError(Exception):
    """Answered as `{"error": message, "status": "error"}` with the given HTTP status."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def body(self) -> dict:
        return {"error": self.message, "status": "error"}


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def not_found(message: str) -> ApiError:
    return ApiError(404, message)
