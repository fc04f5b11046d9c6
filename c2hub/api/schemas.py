"""Schemas and input types every router of the API shares: the error bodies and the bounds on
ids and text that keep bad input a 4xx instead of a database error."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Path, Schema
from pydantic import AfterValidator

#: The largest id a (big) integer primary key can hold; larger ones cannot name a row.
MAX_ID = 2**63 - 1


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text, and no form can send one: reject it as invalid input.
    if "\x00" in value:
        raise ValueError("Text must not contain NUL characters.")
    return value


#: Text from a client, to be stored or searched for.
Text = Annotated[str, AfterValidator(_no_nul)]


#: A site's slug in an address: anything else cannot name a site.
SiteSlug = Annotated[
    str,
    Path(
        pattern=r"^[-a-zA-Z0-9_]+$",
        max_length=50,
        description="The site's slug, as in its page's address.",
        examples=["southchurch"],
    ),
]


class ErrorOut(Schema):
    """Every error answer has a human-readable `detail`."""

    detail: str = Field(..., examples=["No such site"])


class InvalidOut(Schema):
    """Input that could not be accepted: `detail` says why, `errors` says where."""

    detail: str = Field(..., examples=["body.summary: String should have at most 300 characters"])
    errors: Any = Field(
        None,
        description="Field → messages (from the domain rules) or a list of "
        "{loc, msg, type} (from request validation).",
    )


#: Answers every endpoint can give besides its success.
COMMON_ERRORS: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: InvalidOut,
}
WRITE_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, **COMMON_ERRORS}
