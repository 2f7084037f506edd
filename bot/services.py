"""The dependencies every use case receives, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from bot.clock import Clock
from bot.digests.window import WindowPolicy
from bot.domain.gazetteer import Gazetteer
from bot.domain.tagging import Tagger
from bot.i18n import BoundTranslator, Translator
from bot.settings import Settings
from storage.engine import Database


@dataclass(frozen=True, slots=True)
class Services:
    """Explicit dependencies: the database, the clock, settings and the loaded reference data."""

    database: Database
    clock: Clock
    settings: Settings
    translator: Translator
    tagger: Tagger

    @property
    def gazetteer(self) -> Gazetteer:
        return self.tagger.gazetteer

    @property
    def window_policy(self) -> WindowPolicy:
        return WindowPolicy(
            max_age_days=self.settings.article_max_age_days,
            first_digest_hours=self.settings.first_digest_hours,
        )

    @property
    def default_time(self) -> time:
        return self.settings.default_digest_time

    def texts(self, language: str) -> BoundTranslator:
        return self.translator.bind(language)
