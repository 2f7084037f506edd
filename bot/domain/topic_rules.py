"""The labelling rules of shared/taxonomy.md ("How stories are labelled", Topics 1-4) as data.

Lexicon entries may mark cues ("school* @facility", "отремонтир* @repair"). A rule of the
[[rules]] table of seeds/topics.toml applies when its cue is the *subject* of an article: in the
title, or `subject_hits` times in the body; a pair rule (`near`) needs its two cues within
`near_words` words of each other that often ("built ... a school", "отремонтируют ... дорог"),
and a passing phrase does not make a subject. A rule that applies may name the main topic,
bring secondary topics, admit some on any evidence, or rule some out; `choose_topics` applies
them over the lexicon's scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from bot.domain.taxonomy import TOPIC_SLUGS

if TYPE_CHECKING:
    from bot.domain.topic_lexicon import Term

PAIRED: Final = "paired"  # `main` of a pair rule: the topic of the entry paired with the cue
TITLE: Final = "title"
_KEYS: Final = frozenset({"cue", "near", "hits", "when", "main", "add", "admit", "drop"})


@dataclass(frozen=True, slots=True)
class Rule:
    """When `cue` is the subject (beside `near`, for a pair rule; `hits` times as often as usual
    if given) and the main topic is `when` (if given): `main` is the main topic, `add` come
    beside it, `admit` need only some evidence, `drop` are ruled out."""

    cue: str
    near: str = ""
    hits: float = 0.0
    when: str = ""
    main: str = ""
    add: tuple[str, ...] = ()
    admit: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()


# A cue met in an article: its word position (the title's words come first), its signal
# ("title", "lead", "body") and the entry marking it. A plain tuple: an article meets several,
# made while scanning.
CueHit = tuple[int, str, "Term"]


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule whose cues are the subject of an article, with the topics of the entries paired
    with its cue (most pairs first; empty for a rule without `near`) and the cues that made it
    apply."""

    rule: Rule
    paired: tuple[str, ...]
    hits: Sequence[CueHit]

    @property
    def words(self) -> str:
        """The distinct entries behind the finding, as evidence ("build* + school*")."""
        return " + ".join(dict.fromkeys(term.source for _, _, term in self.hits))


@dataclass(frozen=True, slots=True)
class Choice:
    """Topics chosen by the rules and the scores, main first, and the rules behind each."""

    labels: tuple[str, ...]
    reasons: Mapping[str, str] = field(default_factory=dict)


def parse_rules(raw: object, *, cues: set[str]) -> tuple[Rule, ...]:
    """The [[rules]] of a lexicon file, checked against the topics and the cues its entries mark."""
    if not isinstance(raw, list):
        raise ValueError("topic lexicon: [[rules]] must be an array of tables")
    return tuple(_rule(position, table, cues) for position, table in enumerate(raw))


def _rule(position: int, table: Any, cues: set[str]) -> Rule:
    where = f"topic lexicon: rule {position + 1}"
    if not isinstance(table, dict) or not set(table) <= _KEYS or "cue" not in table:
        raise ValueError(f"{where}: needs `cue`, may have {sorted(_KEYS - {'cue'})}")
    rule = Rule(
        cue=str(table["cue"]),
        near=str(table.get("near", "")),
        hits=float(table.get("hits", 0.0)),
        when=str(table.get("when", "")),
        main=str(table.get("main", "")),
        add=tuple(map(str, table.get("add", ()))),
        admit=tuple(map(str, table.get("admit", ()))),
        drop=tuple(map(str, table.get("drop", ()))),
    )
    unknown_cues = {rule.cue, rule.near} - cues - {""}
    if unknown_cues:
        raise ValueError(f"{where}: no entry marks the cue(s) {sorted(unknown_cues)}")
    topics = {*rule.add, *rule.admit, *rule.drop} | ({rule.main, rule.when} - {"", PAIRED})
    if not topics <= set(TOPIC_SLUGS):
        raise ValueError(f"{where}: unknown topic(s) {sorted(topics - set(TOPIC_SLUGS))}")
    if rule.main == PAIRED and not rule.near:
        raise ValueError(f"{where}: main = {PAIRED!r} needs `near`")
    return rule


def find_rules(
    rules: Sequence[Rule],
    cues: Mapping[str, list[CueHit]],
    *,
    near_words: int,
    subject_hits: float,
) -> list[Finding]:
    """The rules whose cues are the subject of an article (`cues`: the cues met, by cue, each
    in word order)."""
    found = []
    for rule in rules:
        own = cues.get(rule.cue)
        if not own:
            continue
        needed = subject_hits * rule.hits if rule.hits else subject_hits
        if rule.near:
            near = cues.get(rule.near)
            finding = _paired(rule, own, near, near_words, needed) if near else None
        else:
            finding = Finding(rule, (), own) if _is_subject(own, needed) else None
        if finding is not None:
            found.append(finding)
    return found


def _is_subject(hits: Iterable[CueHit], subject_hits: float) -> bool:
    """In the title, or often enough in the body: not a passing phrase."""
    count = 0
    for _, signal, _ in hits:
        if signal == TITLE:
            return True
        count += 1
    return count >= subject_hits


def _paired(
    rule: Rule,
    own: list[CueHit],
    near: Sequence[CueHit],
    near_words: int,
    subject_hits: float,
) -> Finding | None:
    """A pair rule's finding: the topics of the `near` entries met beside its cue often enough."""
    pairs: dict[str, list[CueHit]] = {}  # paired topic -> the cue hits beside its entries
    words: list[CueHit] = []
    for hit in own:
        # the closest entry of the other cue, within `near_words` words (not the same word)
        partner, distance, position = None, near_words + 1, hit[0]
        for other in near:  # in word order
            if other[0] >= position + distance:
                break
            gap = other[0] - position if other[0] > position else position - other[0]
            if 0 < gap < distance:
                partner, distance = other, gap
        if partner is not None:
            pairs.setdefault(partner[2].topic, []).append(hit)
            words += (hit, partner)
    paired = [topic for topic, hits in pairs.items() if _is_subject(hits, subject_hits)]
    if not paired:
        return None
    paired.sort(key=lambda topic: -len(pairs[topic]))
    return Finding(rule, tuple(paired), words)


@dataclass(slots=True)
class _Verdict:
    """What the rules that apply to an article say, gathered in rule order."""

    main: str
    decided: bool = False
    added: list[str] = field(default_factory=list)
    admitted: set[str] = field(default_factory=set)
    dropped: set[str] = field(default_factory=set)
    reasons: dict[str, str] = field(default_factory=dict)


def choose_topics(
    totals: Mapping[str, float],
    ranked: Sequence[str],
    findings: Sequence[Finding],
    *,
    close: Sequence[str],
    substantial: set[str],
    floor: float,
    admit_min: float,
    most: int,
) -> Choice:
    """Main topic and secondary ones: the best-scored topic unless a rule names another, the
    topics the rules bring, then those `close` to the best (scoring `floor`) that are
    `substantial` (more than a passing phrase), or score `admit_min` when a rule admits them;
    none that a rule rules out.

    `ranked`: the scored topics, best first; `close`: those after the first that score `floor`.
    """
    if not findings:
        return Choice((ranked[0], *(t for t in close if t in substantial))[:most])
    verdict = _apply(findings, ranked, totals, floor)
    labels = [verdict.main, *(t for t in verdict.added if t not in verdict.dropped)]
    for topic in ranked:
        if topic in verdict.dropped:
            continue
        admit = topic in verdict.admitted and totals[topic] >= admit_min
        if admit or (topic in substantial and totals[topic] >= floor):
            labels.append(topic)
    chosen = tuple(dict.fromkeys(labels))[:most]
    reasons = {topic: why for topic, why in verdict.reasons.items() if topic in chosen}
    return Choice(chosen, reasons)


def _apply(
    findings: Sequence[Finding], ranked: Sequence[str], totals: Mapping[str, float], floor: float
) -> _Verdict:
    """The rules' verdict, in order: a rule with `when` applies only beside that main topic, a
    rule's own main topic must score `floor`, and the first rule to name a main topic decides
    (a rule calling for another main topic then does not apply)."""
    verdict = _Verdict(main=ranked[0])
    for finding in findings:
        rule = finding.rule
        wanted = _wanted_main(finding, verdict.main, totals, floor)
        if rule.when and rule.when != verdict.main:
            continue
        if wanted is None or (verdict.decided and wanted != verdict.main):
            continue
        if rule.main:
            if wanted != verdict.main:
                verdict.reasons[wanted] = finding.words
            verdict.main, verdict.decided = wanted, True
        for topic in rule.add:
            verdict.reasons.setdefault(topic, finding.words)
            verdict.added.append(topic)
        verdict.admitted.update(rule.admit)
        verdict.dropped.update(rule.drop)
    if verdict.main in verdict.dropped:
        verdict.main = next((t for t in ranked if t not in verdict.dropped), verdict.main)
    return verdict


def _wanted_main(
    finding: Finding, main: str, totals: Mapping[str, float], floor: float
) -> str | None:
    """The main topic a rule that applies calls for, if it can have it: a pair rule's paired
    topic when that is the main topic already, or the main topic is one the rule only brings
    beside it (the sector before construction); another rule's own main topic when it scores."""
    rule = finding.rule
    if rule.main == PAIRED:
        for topic in finding.paired:
            if topic == main or (main in rule.add and totals.get(topic, 0.0) >= floor):
                return topic
        return None
    if not rule.main:
        return main
    return rule.main if totals.get(rule.main, 0.0) >= floor else None
