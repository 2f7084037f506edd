"""One story told in three languages, a look-alike from another town, and how to read facts."""

from __future__ import annotations

from datetime import date

from bot.commands.common import load_tagger
from bot.domain.story_facts import StoryFacts, extract_facts

TAGGER = load_tagger()
DAY = date(2025, 3, 1)


def facts(title: str, body: str, *, published: date = DAY) -> StoryFacts:
    """The story facts of an article, read and tagged as ingest does."""
    text = TAGGER.read(title, body)
    regions = TAGGER.tag(title=title, body=body, source_url=None, text=text).regions.labels
    return extract_facts(text, gazetteer=TAGGER.gazetteer, regions=regions, published=published)


KAZAKH = (
    "Екібастұзда 1 200 отбасы табиғи газға қосылады",
    "Павлодар облысы Екібастұз қаласының Солнечный кентінде 1 200 отбасы табиғи газға "
    "қосылады. Құрылысқа 4,5 млрд теңге бөлінді, тарату желісінің ұзындығы 38 шақырым. "
    "Жұмыстар 15 наурызда басталады, деп хабарлады қала әкімі Ерлан Мұқашев.",
)
RUSSIAN = (
    "Газ придёт в Солнечный: 1200 семей Экибастуза подключат к сети",
    "В посёлке Солнечный Экибастуза к природному газу подключат 1200 семей, сообщил аким "
    "города Ерлан Мукашев. На строительство распределительных сетей протяжённостью 38 км "
    "выделено 4,5 млрд тенге, работы начнутся 15 марта.",
)
ENGLISH = (
    "1,200 Ekibastuz families to get natural gas",
    "Some 1,200 families in the Solnechny settlement of Ekibastuz will be connected to natural "
    "gas, city akim Yerlan Mukashev said. The 38 km distribution network will cost 4.5 billion "
    "tenge; work starts on March 15.",
)
# The same kind of story, the same region, another town and other figures.
LOOK_ALIKE = (
    "В Аксу 800 семей подключат к газу",
    "В городе Аксу Павлодарской области к природному газу подключат 800 семей. На "
    "строительство сетей протяжённостью 21 км выделено 2,1 млрд тенге, работы начнутся "
    "1 апреля, сообщили в акимате города.",
)
# The Kazakh story a month later: the work has begun, with new figures.
FOLLOW_UP = (
    "Екібастұзда газ құбырының 12 шақырымы тартылды",
    "Павлодар облысы Екібастұз қаласының Солнечный кентінде газ желісінің 12 шақырымы "
    "тартылды. Оған 1,4 млрд теңге жұмсалды, 300 отбасы қазірдің өзінде газға қосылды, деп "
    "хабарлады қала әкімі Ерлан Мұқашев.",
)
