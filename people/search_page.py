"""The member search page: `privacy.selectors.member_search`, its results kept under versions.

The text index narrows the candidates inside the same query (`people.search_index.matching`); the
privacy rules stay written once, in the selector. The ids found are kept under the viewer's
relations version (their blocks) and the member directory's version (moved after any profile or
account is written), so a search asked again costs one small query for the shown page's rows.
The viewer's relation to each result comes from the relations kept per member (`people.cards`).
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import transaction

from cercle import site_versions
from cercle.versioned_cache import get_or_build
from people.models import Profile, User
from privacy.selectors import member_search

PER_PAGE = 24


@dataclass(frozen=True)
class SearchPage:
    page: Page
    # What `member_cards` reads, in the page's order: the card's version and the member's relations version.
    rows: list[dict]
    viewer_relations_version: int | None


def search_page(viewer: User, query: str, page_number) -> SearchPage:
    version = Profile.objects.filter(user_id=viewer.pk).values_list("relations_version", flat=True).first()

    def found() -> list[int]:
        return list(member_search(viewer=viewer, query=query, audience_columns=False).values_list("user_id", flat=True))

    if version is None:  # an account without a profile (an administrator): read, not kept
        ids = found()
    else:
        directory = site_versions.current(site_versions.MEMBER_DIRECTORY)
        ids = get_or_build("search", (viewer.pk, version, query, directory), found)
    page = Paginator(ids, PER_PAGE).get_page(page_number)
    shown = list(page.object_list)
    by_id = {
        row["user_id"]: row
        for row in Profile.objects.filter(user_id__in=shown).values("user_id", "updated_at", "relations_version")
    }
    return SearchPage(page, [by_id[user_id] for user_id in shown if user_id in by_id], version)


def directory_changed(sender, update_fields=None, **_signal_kwargs) -> None:
    """A signal receiver (people.apps): a profile or an account was written (a sign-in, which only
    writes the account's `last_login`, leaves the directory as it was)."""
    if sender is User and update_fields is not None and "is_active" not in update_fields:
        return
    transaction.on_commit(new_directory_version)


def new_directory_version() -> None:
    site_versions.move(site_versions.MEMBER_DIRECTORY)
