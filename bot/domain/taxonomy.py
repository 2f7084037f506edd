"""The fixed vocabulary of regions and topics (shared/taxonomy.md).

Slugs are stable identifiers stored in the database and callback data; never rename one.
"""

from __future__ import annotations

from typing import Final, Literal

Language = Literal["en", "ru", "kk"]
LANGUAGES: Final[tuple[Language, ...]] = ("en", "ru", "kk")

NATIONAL: Final = "national"

# slug -> (en, ru, kk), in the order of shared/taxonomy.md.
REGION_NAMES: Final[dict[str, tuple[str, str, str]]] = {
    "astana": ("Astana", "Астана", "Астана"),
    "almaty": ("Almaty", "Алматы", "Алматы"),
    "shymkent": ("Shymkent", "Шымкент", "Шымкент"),
    "abai": ("Abai region", "Абайская область", "Абай облысы"),
    "akmola": ("Akmola region", "Акмолинская область", "Ақмола облысы"),
    "aktobe": ("Aktobe region", "Актюбинская область", "Ақтөбе облысы"),
    "almaty-region": ("Almaty region", "Алматинская область", "Алматы облысы"),
    "atyrau": ("Atyrau region", "Атырауская область", "Атырау облысы"),
    "east-kazakhstan": (
        "East Kazakhstan region",
        "Восточно-Казахстанская область",
        "Шығыс Қазақстан облысы",
    ),
    "jambyl": ("Jambyl region", "Жамбылская область", "Жамбыл облысы"),
    "jetisu": ("Jetisu region", "область Жетісу", "Жетісу облысы"),
    "karaganda": ("Karaganda region", "Карагандинская область", "Қарағанды облысы"),
    "kostanay": ("Kostanay region", "Костанайская область", "Қостанай облысы"),
    "kyzylorda": ("Kyzylorda region", "Кызылординская область", "Қызылорда облысы"),
    "mangystau": ("Mangystau region", "Мангистауская область", "Маңғыстау облысы"),
    "north-kazakhstan": (
        "North Kazakhstan region",
        "Северо-Казахстанская область",
        "Солтүстік Қазақстан облысы",
    ),
    "pavlodar": ("Pavlodar region", "Павлодарская область", "Павлодар облысы"),
    "turkestan": ("Turkestan region", "Туркестанская область", "Түркістан облысы"),
    "ulytau": ("Ulytau region", "область Улытау", "Ұлытау облысы"),
    "west-kazakhstan": (
        "West Kazakhstan region",
        "Западно-Казахстанская область",
        "Батыс Қазақстан облысы",
    ),
    NATIONAL: ("Whole country", "Вся страна", "Бүкіл ел"),
}

REGION_SLUGS: Final[tuple[str, ...]] = tuple(REGION_NAMES)

# slug -> (en, ru, kk)
TOPIC_NAMES: Final[dict[str, tuple[str, str, str]]] = {
    "economy": ("Economy", "Экономика", "Экономика"),
    "agriculture": ("Agriculture", "Сельское хозяйство", "Ауыл шаруашылығы"),
    "transport": ("Transport", "Транспорт", "Көлік"),
    "utilities": ("Utilities", "ЖКХ", "ТКШ"),
    "construction": ("Construction", "Строительство", "Құрылыс"),
    "education": ("Education", "Образование", "Білім"),
    "health": ("Health", "Здравоохранение", "Денсаулық"),
    "safety": ("Safety", "Безопасность", "Қауіпсіздік"),
    "governance": ("Governance", "Госуправление", "Мемлекеттік басқару"),
    "industry": ("Industry", "Промышленность", "Өнеркәсіп"),
    "culture": ("Culture and sport", "Культура и спорт", "Мәдениет және спорт"),
    "environment": ("Environment", "Экология", "Экология"),
    "social": ("Jobs and social support", "Работа и соцподдержка", "Жұмыс және әлеуметтік қолдау"),
    "digital": ("Digital", "Цифровизация", "Цифрландыру"),
}

TOPIC_SLUGS: Final[tuple[str, ...]] = tuple(TOPIC_NAMES)

_LANGUAGE_INDEX: Final[dict[str, int]] = {"en": 0, "ru": 1, "kk": 2}


def region_name(slug: str, language: str) -> str:
    """Display name of a region slug in a language (English when the language is unknown)."""
    return REGION_NAMES[slug][_LANGUAGE_INDEX.get(language, 0)]


def topic_name(slug: str, language: str) -> str:
    """Display name of a topic slug in a language (English when the language is unknown)."""
    return TOPIC_NAMES[slug][_LANGUAGE_INDEX.get(language, 0)]
