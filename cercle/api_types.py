"""Types the API's routers share."""

from typing import Annotated

from pydantic import Field

# A row's id as the databases store it (64-bit): a larger one in a filter was a 500, not an empty list.
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]
# A circle's address as SlugField stores it: anything else cannot match, and a NUL character in a
# query was an error on PostgreSQL.
Slug = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=140)]
