"""Every string the code marks for translation has a translation in every language."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from omniretail.kernel.i18n import read_catalog

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "omniretail"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def marked_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            SRC, method_map=METHODS, options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
            keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("locale", ["ru", "pl", "lv", "zh"])
def test_every_marked_string_is_translated(locale):
    catalog = read_catalog(locale)
    # A plural message is keyed by its singular and counts only when every plural form is translated.
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog
                  if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)}

    missing = sorted(marked_messages() - translated)

    assert missing == [], f"{locale} lacks {len(missing)} translations, e.g. {missing[:5]}"
