"""The site shell (``data/site.json``): home page, standard pages and contact settings.

A page links another by ``"page": "@slug"`` in the data; the recipe puts in the page's id.
"""

from __future__ import annotations

import json
from typing import TextIO

from ..builder import ensure_page, load, page_refs, publish, write
from ..sources import HomePage, Page, Site, SiteContactSettings, StandardPage

SITE = load("site.json")


def ensure_home_page(stdout: TextIO | None = None) -> HomePage:
    home = HomePage.objects.first()
    root = Page.get_first_root_node()
    if home is None:
        # Wagtail's "Welcome" page is a plain Page at the root: it makes way for ours.
        welcome = root.get_children().filter(content_type__app_label="wagtailcore", content_type__model="page")
        for page in welcome.filter(slug="home"):
            page.delete()
        root.refresh_from_db()
        home = root.add_child(instance=HomePage(title=SITE["home"]["title"], slug="home"))
        write(stdout, "Created the home page.\n")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, site_name="汇爱 Huiai", root_page=home, is_default_site=True)
        write(stdout, "Created the default site.\n")
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
        write(stdout, "Made the home page the default site's root.\n")
    return home


def ensure_standard_pages(home: HomePage, stdout: TextIO | None = None) -> dict[str, StandardPage]:
    """The standard pages by slug; a parent is named by slug ("" for the home page)."""
    pages: dict[str, Page] = {"": home}
    for spec in SITE["pages"]:
        fields = {key: value for key, value in spec.items() if key not in ("parent", "slug")}
        page, created = ensure_page(pages[spec["parent"]], StandardPage, spec["slug"], **fields)
        if created:
            write(stdout, f"Created page “{page.title}”.\n")
        pages[spec["slug"]] = page
    del pages[""]
    return pages


def fill_home_page(home: HomePage, pages: dict[str, StandardPage], stdout: TextIO | None = None) -> None:
    if home.body:
        return
    spec = SITE["home"]
    home.title = spec["title"]
    home.draft_title = spec["title"]
    home.seo_title = spec["seo_title"]
    home.body = json.dumps(page_refs(spec["body"], pages), ensure_ascii=False)
    publish(home)
    write(stdout, "Filled the home page.\n")


def ensure_contact_settings(home: HomePage, privacy: StandardPage, stdout: TextIO | None = None) -> None:
    site = Site.objects.get(root_page=home, is_default_site=True)
    contact = SiteContactSettings.for_site(site)
    changed = False
    if not contact.hotlines:
        contact.hotlines = json.dumps([{"type": "hotline", "value": item} for item in SITE["hotlines"]])
        changed = True
    for field, value in SITE["contact"].items():
        if not getattr(contact, field):
            setattr(contact, field, value)
            changed = True
    if contact.privacy_page_id is None:
        contact.privacy_page = privacy
        changed = True
    if changed:
        contact.save()
        write(stdout, "Filled the contact and hotline settings.\n")


def create_demo_site(stdout: TextIO | None = None) -> HomePage:
    """The home page (as the default site's root), its standard pages and contact settings."""
    home = ensure_home_page(stdout)
    pages = ensure_standard_pages(home, stdout)
    fill_home_page(home, pages, stdout)
    ensure_contact_settings(home, pages[SITE["privacy_page"]], stdout)
    return home
