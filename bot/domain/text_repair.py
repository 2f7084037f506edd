"""Repairs for what scraping breaks: glued sentences, error pages as titles, shouting titles."""

from __future__ import annotations

import re
from typing import Final

_UPPER: Final = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_LOWER: Final = "a-zа-яёәғқңөұүһі"

# "growth.Karaganda", "region.– The", "noted?He": a sentence end glued to the next one. The
# letter before the stop must be lower-case or a digit/closing bracket, so initials ("S.Kuanyshuly")
# and acronyms ("U.S.A") are left alone; the next character must open a sentence.
_GLUED: Final = re.compile(rf"(?<=[{_LOWER}0-9)\]»\"”%])([.!?]+)(?=[{_UPPER}«\"“–—-])")
# "…upgraded in KazakhstanA full-scale…": a sub-heading glued to the sentence after it.
_GLUED_HEADING: Final = re.compile(
    rf"(\b[{_UPPER}{_LOWER}]*[{_LOWER}]{{4}})((?:The|A|According|This|These|"
    rf"During|For|From|With|Currently|Today|Also|Since|After|Over)\s)"
)
_URLISH: Final = re.compile(r"(?:https?://|www\.|@)\S*$")
_ABBREVIATIONS: Final = frozenset(
    {
        "e.g",
        "i.e",
        "etc",
        "vs",
        "mr",
        "mrs",
        "dr",
        "st",
        "no",
        "т.е",
        "т.д",
        "т.п",
        "г",
        "гг",
        "им",
        "ул",
        "пр",
        "обл",
        "тыс",
        "млн",
        "млрд",
        "руб",
        "тг",
        "др",
        "см",
        "жж",
        "ж",
        "т.б",
    }
)

# What a scraper stores as a title when it got an error page instead of the article.
_ERROR_TITLE: Final = re.compile(
    r"^\s*(?:(?:http\s*)?(?:error\s*)?[1-5]\d{2}\s*[:\-–]?\s*)?"
    r"(?:bad gateway|gateway time-?out|service (?:temporarily )?unavailable|not found|forbidden|"
    r"unauthori[sz]ed|bad request|access denied|internal server error|too many requests|"
    r"request time-?out|just a moment\.*|attention required!?.*|untitled|no title|error|"
    r"page not found|страница не найдена|ошибка|nginx|cloudflare|loading\.*)?\s*$",
    re.IGNORECASE,
)

_CREDIT: Final = re.compile(
    r"(?:(?:the\s+)?press\s+service\s+of\s+(?:the\s+)?.*|пресс-служба\s+.*|"
    r".*баспасөз\s+қызметі.*|source\s*:.*|источник\s*:.*|дереккөз\s*:.*|"
    r"@\w+|(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:kz|ru|com|org|gov)\S*)$",
    re.IGNORECASE,
)

TITLE_MAX: Final = 120
SUMMARY_MAX: Final = 300


_LOOK_BACK = 2_000  # longer than any word, URL included, that decides a glued sentence


def separate_glued_sentences(text: str) -> str:
    """Put a space where a sentence end is glued to the next sentence.

    Numbers (30.1, 13.01.2025), initials, acronyms, domains and URLs are left untouched.
    """

    def _space(match: re.Match[str]) -> str:
        # Only the word before the match matters: a bounded look-back keeps long texts linear
        # (the whole prefix, split at every match, made a 50 KB body cost a second).
        before = text[max(0, match.start() - _LOOK_BACK) : match.start()]
        word = before.rsplit(None, 1)[-1] if before.split() else ""
        if _URLISH.search(word) or word.lower().rstrip(".") in _ABBREVIATIONS:
            return match.group(1)
        return match.group(1) + " "

    repaired = _GLUED.sub(_space, text)
    repaired = _GLUED_HEADING.sub(r"\1. \2", repaired)
    return re.sub(r"[ \t\u00a0]{2,}", " ", repaired).strip()


def split_sentences(text: str) -> list[str]:
    """Sentences of a repaired text (ends at . ! ? followed by a space and a sentence opener)."""
    pieces = re.split(rf"(?<=[.!?])\s+(?=[{_UPPER}«\"“–—-])", text)
    sentences: list[str] = []
    for piece in pieces:
        if sentences and _ends_with_abbreviation(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return [sentence.strip() for sentence in sentences if sentence.strip()]


def _ends_with_abbreviation(sentence: str) -> bool:
    last = sentence.rsplit(None, 1)[-1].lower().rstrip(".")
    return last in _ABBREVIATIONS or bool(re.fullmatch(rf"[{_UPPER}{_LOWER}]", last))


def split_credits(sentences: list[str]) -> tuple[list[str], list[str]]:
    """Separate trailing credit lines ("Press service of the Akim of …", "@KZgovernment")."""
    content = list(sentences)
    credits: list[str] = []
    while content:
        tail = content[-1]
        match = _trailing_credit(tail)
        if match is None:
            break
        credit, rest = match
        credits.insert(0, credit)
        if rest:
            content[-1] = rest
            break
        content.pop()
    return content, credits


def _trailing_credit(sentence: str) -> tuple[str, str] | None:
    """A credit at the end of a sentence, and what stands before it."""
    for start in _credit_starts(sentence):
        candidate = sentence[start:].strip()
        if _CREDIT.fullmatch(candidate):
            return candidate, sentence[:start].strip()
    return None


def _credit_starts(sentence: str) -> list[int]:
    starts = [0]
    for match in re.finditer(
        r"(?<=[.!?])\s*|\s+(?=@)|(?<=[a-zа-я])(?=Press service|Пресс-служба)", sentence
    ):
        if 0 < match.end() < len(sentence):
            starts.append(match.end())
    return starts


def is_broken_title(title: str) -> bool:
    """A title that is no title: empty, an HTTP error page, a placeholder."""
    stripped = title.strip()
    return not stripped or _ERROR_TITLE.fullmatch(stripped) is not None


def title_from_body(sentences: list[str]) -> str:
    """A headline made of the lead sentence, cut on a word boundary."""
    lead = sentences[0] if sentences else ""
    lead = lead.rstrip(".").strip()
    return cut_on_word(lead, TITLE_MAX)


def cut_on_word(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–—-") + "…"


def is_shouting(title: str) -> bool:
    """Mostly upper-case letters over several words: an ALL-CAPS headline."""
    letters = [char for char in title if char.isalpha()]
    if len(letters) < 8 or len(title.split()) < 3:
        return False
    upper = sum(1 for char in letters if char.isupper())
    return upper / len(letters) > 0.8


def sentence_case(title: str, body: str) -> str:
    """Sentence case for a shouting title, keeping the body's spelling of names and acronyms.

    "TURKESTAN: PUBLIC SAFETY IS UNDER CONTROL" → "Turkestan: public safety is under control";
    QAZAQ AIR, IQ 361, kV and "Auyl – El Besigi" keep the casing they have in the body.
    """
    names = _names_in(body)
    tokens = re.split(r"(\W+)", title)
    words = [index for index, token in enumerate(tokens) if token and token[0].isalnum()]
    cased = {index: tokens[index].lower() for index in words}
    for position, index in enumerate(words):
        if any(char.isdigit() for char in tokens[index]):
            cased[index] = tokens[index]
        for length in range(min(_LONGEST_NAME, len(words) - position), 0, -1):
            span = words[position : position + length]
            key = tuple(tokens[i].lower() for i in span)
            if key in names:
                for i, form in zip(span, names[key], strict=True):
                    cased[i] = form
                break
    result = [cased.get(index, token) for index, token in enumerate(tokens)]
    sentence_start = True
    for index, token in enumerate(result):
        if index in cased:
            if sentence_start:
                result[index] = token[:1].upper() + token[1:]
            sentence_start = False
        elif re.search(r"[.!?]", token):
            sentence_start = True
    return "".join(result).strip()


_LONGEST_NAME: Final = 4
_CAPITALISED: Final = rf"(?:[{_UPPER}]\w*|[{_LOWER}]+[{_UPPER}]\w*)"
_NAME_RUN: Final = re.compile(rf"{_CAPITALISED}(?:(?:\s+|\s*[–-]\s*){_CAPITALISED})*")


def _names_in(body: str) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Names and acronyms as the body writes them: runs of capitalised words, never in lower case.

    A single capitalised word counts only where it stands alone mid-sentence ("in Turkestan
    region"), not inside a longer name ("Operational Control Center" says nothing of "control").
    """
    lower_words = {word for word in re.findall(r"\w+", body) if word.islower()}
    names: dict[tuple[str, ...], tuple[str, ...]] = {}
    for sentence in split_sentences(body):
        for match in _NAME_RUN.finditer(sentence):
            forms = tuple(re.findall(r"\w+", match.group()))
            if match.start() == 0 and (len(forms) == 1 or forms[0].istitle()):
                forms = forms[1:]
            if not forms or len(forms) > _LONGEST_NAME:
                continue
            if len(forms) == 1 and forms[0].lower() in lower_words and forms[0].istitle():
                continue
            names.setdefault(tuple(form.lower() for form in forms), forms)
    return names


def summarise(sentences: list[str], limit: int = SUMMARY_MAX) -> str:
    """The lead sentence or two, at most `limit` characters, cut on a word boundary."""
    summary = ""
    for sentence in sentences:
        candidate = f"{summary} {sentence}".strip()
        if len(candidate) > limit:
            break
        summary = candidate
        if len(summary) >= limit // 2:
            break
    if not summary and sentences:
        summary = cut_on_word(sentences[0], limit)
    return summary
