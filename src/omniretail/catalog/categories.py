"""Catalog categories: a tree of named nodes in five languages, moved as whole subtrees.

``path`` holds the ids from the root down, so a subtree is one prefix query.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.catalog import versions
from omniretail.catalog.common import check_names, require, unique_slug
from omniretail.catalog.exceptions import CategoryCycle, CategoryNotFound, CodeTaken
from omniretail.catalog.models import Category, CategoryTranslation
from omniretail.catalog.rules import pick, slugify
from omniretail.identity.rules import Principal
from omniretail.kernel import clock
from omniretail.kernel.cache import VersionedCache


def create_category(*, session: Session, actor: Principal | None, code: str, names: Mapping[str, str],
                    parent_id: uuid.UUID | None = None, position: int = 0,
                    slugs: Mapping[str, str] | None = None) -> Category:
    """Add a category under ``parent_id`` (None: a top-level category)."""
    require(actor)
    check_names(names, "names")
    if session.scalar(select(Category.id).where(Category.code == code)) is not None:
        raise CodeTaken(f"A category with code {code!r} exists", code=code)
    parent = get_category(session=session, category_id=parent_id) if parent_id else None
    category = Category(code=code, parent_id=parent_id, position=position, depth=parent.depth + 1 if parent else 0,
                        path="")
    session.add(category)
    session.flush()
    category.path = f"{parent.path}{category.id.hex}/" if parent else f"{category.id.hex}/"
    _set_category_names(session, category, names, slugs or {})
    session.flush()
    return category


def _set_category_names(session: Session, category: Category, names: Mapping[str, str],
                        slugs: Mapping[str, str]) -> None:
    existing = {t.locale: t for t in category.translations}
    for locale, name in names.items():
        wanted = slugs.get(locale) or slugify(name)
        slug = unique_slug(session, CategoryTranslation, locale, wanted, category.id, locale in slugs)
        if locale in existing:
            existing[locale].name, existing[locale].slug = name, slug
        else:
            category.translations.append(CategoryTranslation(locale=locale, name=name, slug=slug))


def update_category(*, session: Session, actor: Principal | None, category_id: uuid.UUID,
                    names: Mapping[str, str] | None = None, parent_id: uuid.UUID | None = None,
                    move: bool = False, position: int | None = None) -> Category:
    """Rename, reorder or move a category (``move=True`` with ``parent_id=None`` makes it top-level)."""
    require(actor)
    category = get_category(session=session, category_id=category_id)
    if names is not None:
        check_names({**{t.locale: t.name for t in category.translations}, **names}, "names")
        _set_category_names(session, category, names, {})
    if position is not None:
        category.position = position
    if move:
        parent = get_category(session=session, category_id=parent_id) if parent_id else None
        if parent is not None and parent.path.startswith(category.path):
            raise CategoryCycle(f"{parent.code} is inside {category.code}")
        old_path, old_depth = category.path, category.depth
        category.parent_id = parent_id
        category.path = f"{parent.path if parent else ''}{category.id.hex}/"
        category.depth = parent.depth + 1 if parent else 0
        for child in session.scalars(select(Category).where(Category.path.startswith(old_path),
                                                            Category.id != category.id)):
            child.path = category.path + child.path[len(old_path):]
            child.depth = child.depth - old_depth + category.depth
    session.flush()
    return category


def get_category(*, session: Session, category_id: uuid.UUID | None) -> Category:
    """One category."""
    category = session.get(Category, category_id) if category_id else None
    if category is None:
        raise CategoryNotFound(f"No category {category_id}")
    return category


def list_categories(*, session: Session) -> list[Category]:
    """The whole tree, parents before children, siblings by position."""
    categories = list(session.scalars(select(Category)))
    by_id = {c.id: c for c in categories}

    def key(category: Category) -> list[tuple[int, str]]:
        chain = [by_id[uuid.UUID(hex=h)] for h in category.path.strip("/").split("/") if uuid.UUID(hex=h) in by_id]
        return [(c.position, c.code) for c in chain]

    return sorted(categories, key=key)


@dataclass(frozen=True)
class CategoryNode:
    """A category as menus show it: names and slugs by locale, in tree order (see ``category_tree``)."""

    id: uuid.UUID
    parent_id: uuid.UUID | None
    names: dict[str, str]
    slugs: dict[str, str]


_TREES: VersionedCache[list[CategoryNode]] = VersionedCache(size=16)


def category_tree(*, session: Session) -> list[CategoryNode]:
    """The whole tree with names and slugs, parents before children, siblings by position.

    Every storefront page shows the menu, so the tree is kept per process until the catalog's read version
    changes (``catalog/versions.py``); a miss is two plain queries.
    """
    version = versions.current(session)
    if version is None:
        return _category_tree(session)
    key = str(session.get_bind().engine.url)
    tree = _TREES.get(key, version=version)
    if tree is None:
        tree = _TREES.put(key, _category_tree(session), version=version,
                          expires_at=clock.now() + timedelta(minutes=10))
    return list(tree)


def _category_tree(session: Session) -> list[CategoryNode]:
    rows = session.execute(select(Category.id, Category.parent_id, Category.path, Category.position,
                                  Category.code)).all()
    texts: dict[uuid.UUID, tuple[dict[str, str], dict[str, str]]] = {row.id: ({}, {}) for row in rows}
    for category_id, locale, name, slug in session.execute(select(
            CategoryTranslation.category_id, CategoryTranslation.locale, CategoryTranslation.name,
            CategoryTranslation.slug)):
        if category_id in texts:
            texts[category_id][0][locale] = name
            texts[category_id][1][locale] = slug
    by_hex = {row.id.hex: row for row in rows}

    def key(path: str) -> list[tuple[int, str]]:
        chain = [by_hex[h] for h in path.strip("/").split("/") if h in by_hex]
        return [(c.position, c.code) for c in chain]

    ordered = sorted(rows, key=lambda row: key(row.path))
    return [CategoryNode(row.id, row.parent_id, *texts[row.id]) for row in ordered]


def breadcrumbs(*, session: Session, category_id: uuid.UUID, locale: str) -> list[tuple[uuid.UUID, str, str]]:
    """(id, name, slug) from the root down to the category, in ``locale`` with fallback."""
    nodes = {node.id: node for node in category_tree(session=session)}
    if category_id in nodes:  # from the cached menu: no query
        upwards: list[tuple[uuid.UUID, str, str]] = []
        node: CategoryNode | None = nodes[category_id]
        while node is not None:
            upwards.append((node.id, pick(node.names, locale), pick(node.slugs, locale)))
            node = nodes.get(node.parent_id) if node.parent_id is not None else None
        return upwards[::-1]
    category = get_category(session=session, category_id=category_id)
    ids = [uuid.UUID(hex=h) for h in category.path.strip("/").split("/")]
    chain = {c.id: c for c in session.scalars(select(Category).where(Category.id.in_(ids)))}
    crumbs = []
    for cid in ids:
        names = {t.locale: t.name for t in chain[cid].translations}
        slugs = {t.locale: t.slug for t in chain[cid].translations}
        crumbs.append((cid, pick(names, locale), pick(slugs, locale)))
    return crumbs


def subtree_ids(*, session: Session, category_id: uuid.UUID) -> list[uuid.UUID]:
    """The category and every category below it."""
    category = get_category(session=session, category_id=category_id)
    return list(session.scalars(select(Category.id).where(Category.path.startswith(category.path))))


