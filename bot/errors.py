"""Errors a user can act on. Their message names what was wrong and how to fix it."""


class InquiryBotError(ValueError):
    """Base for every error that should reach a user as one clear line."""


class ConfigError(InquiryBotError):
    """Configuration (TOML, environment, policy text, calendar settings) is malformed."""


class InputError(InquiryBotError):
    """A command or form carried bad input; nothing was stored."""

    def __init__(self, message: str, example: str | None = None):
        super().__init__(message)
        self.example = example


class FieldError(InputError):
    """A form field carried a value of the wrong type or out of range (a forged or broken submission)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class NotFound(InputError):
    """An inquiry id (or other record) does not exist."""


class Forbidden(InputError):
    """The caller lacks the right for this record or action."""


# Storage's word for "the database could not be had in time; nothing was stored" (storage/errors.py).
from storage.errors import DatabaseBusy, is_database_busy  # noqa: E402,F401
