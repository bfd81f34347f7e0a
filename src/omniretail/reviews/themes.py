"""Keyword themes of review texts (jieba for Chinese) and word-cloud pictures of them.

A theme is a frequent content word with how often it appears and the average sentiment of the texts it appears
in, so "pump" with a low average says the pump is the problem. Word clouds use a CJK-capable font when the system
has one; without one Chinese words are left out of the picture rather than drawn as boxes.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LEXICON_DIR = Path(__file__).with_name("lexicons")
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
CJK_FONTS = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
             "/usr/share/fonts/truetype/arphic/uming.ttc", "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")


@dataclass(frozen=True)
class Theme:
    """A frequent word in the texts of a product or category, and the average sentiment around it."""

    word: str
    count: int
    sentiment: float


@cache
def _jieba() -> object:
    import jieba  # type: ignore[import-untyped]

    jieba.setLogLevel(60)
    return jieba


@cache
def stop_words(locale: str) -> frozenset[str]:
    """Words too common to be a theme (``lexicons/stopwords.<locale>.txt``)."""
    path = LEXICON_DIR / f"stopwords.{locale}.txt"
    return frozenset(path.read_text(encoding="utf-8").split()) if path.exists() else frozenset()


def keywords(text: str, locale: str) -> list[str]:
    """The content words of one text (lower-case; Chinese cut by jieba), stop words removed."""
    stop = stop_words(locale)
    if locale == "zh":
        jieba = _jieba()
        words = [w.strip() for w in jieba.lcut(text)]  # type: ignore[attr-defined]
        return [w for w in words if len(w) >= 2 and w not in stop and not w.isdigit()
                and all(c.isalnum() for c in w)]
    return [w for w in _WORD.findall(text.lower()) if w not in stop]


def themes(texts: Iterable[tuple[str, str, float]], *, top: int = 20) -> list[Theme]:
    """The ``top`` most frequent keywords of (locale, text, sentiment) triples, each counted once per text."""
    counts: Counter[str] = Counter()
    moods: dict[str, float] = defaultdict(float)
    for locale, text, mood in texts:
        for word in set(keywords(text, locale)):
            counts[word] += 1
            moods[word] += mood
    return [Theme(word, n, round(moods[word] / n, 3)) for word, n in counts.most_common(top)]


def cjk_font() -> str | None:
    """A font on this system that can draw Chinese, if there is one."""
    return next((path for path in CJK_FONTS if Path(path).exists()), None)


def _has_cjk(word: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in word)


def word_cloud_png(found: Iterable[Theme], *, width: int = 800, height: int = 400) -> bytes:
    """A PNG word cloud of themes: size by count, green for praise and red for complaints."""
    from wordcloud import WordCloud  # type: ignore[import-untyped]

    font = cjk_font()
    frequencies = {t.word: t.count for t in found if font or not _has_cjk(t.word)}
    moods = {t.word: t.sentiment for t in found}

    def colour(word: str, **_: object) -> str:
        mood = moods.get(word, 0.0)
        return "#1b7f3b" if mood > 0.05 else "#b3261e" if mood < -0.05 else "#555555"

    cloud = WordCloud(width=width, height=height, background_color="white", font_path=font,
                      color_func=colour, prefer_horizontal=0.9, random_state=7)
    if frequencies:
        cloud.generate_from_frequencies(frequencies)
        image = cloud.to_image()
    else:
        from PIL import Image

        image = Image.new("RGB", (width, height), "white")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
