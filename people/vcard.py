"""vCard of what a viewer may see of a member (built with vobject)."""

import vobject

from privacy.selectors import VisibleProfile


def vcard_of(seen: VisibleProfile, *, card_url: str = "") -> str:
    card = vobject.vCard()
    card.add("fn").value = seen.display_name
    parts = seen.display_name.split(" ", 1) if seen.name else ["", ""]
    card.add("n").value = vobject.vcard.Name(family=parts[1] if len(parts) > 1 else "", given=parts[0])
    if seen.headline or seen.profession:
        card.add("title").value = seen.profession or seen.headline
    if seen.headline:
        card.add("note").value = seen.headline
    if seen.contact_email:
        email = card.add("email")
        email.value = seen.contact_email
        email.type_param = "INTERNET"
    if seen.phone:
        card.add("tel").value = seen.phone
    if seen.website:
        card.add("url").value = seen.website
    elif card_url:
        card.add("url").value = card_url
    if seen.city:
        address = card.add("adr")
        address.value = vobject.vcard.Address(city=seen.city, country="")
    return card.serialize()
