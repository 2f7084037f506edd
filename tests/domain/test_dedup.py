"""Near-duplicates: reworded and shortened copies meet, stories sharing a credit line do not."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.dedup import (
    CROWDED,
    ClusterIndex,
    Signature,
    band_keys,
    is_near_duplicate,
    signature,
    similarity,
    text_for_dedup,
)
from bot.domain.shingles import content_shingles

CREDIT_EN = "Press service of the Akim of Karaganda region"
CREDIT_RU = "Пресс-служба акима Карагандинской области"

KINDERGARTEN = (
    "Parents in Qaraghandy region can now queue for kindergarten places online",
    "From January 15, parents in Qaraghandy region will be able to register their children in "
    "the kindergarten queue without visiting the education department. The service has been "
    "moved to the eGov portal, where a parent signs in with an electronic digital signature or a "
    "one-time SMS password. According to the head of the regional education department, more "
    "than 11 thousand applications for preschool places were submitted last year, and about a "
    "third of parents complained about queues at the district offices. Now the place in the "
    "queue is assigned automatically, and a parent can see at any time how many children are "
    "ahead. In 2025, 14 new kindergartens for 2,600 places are to be opened in the region, "
    "including private ones built under public-private partnership. Parents who already stand "
    "in the paper queue do not need to re-register: their applications have been transferred to "
    f"the electronic system.{CREDIT_EN}Source : https://www.gov.kz/memleket/entities/karaganda/1",
)
KINDERGARTEN_REWORDED = (
    "Karaganda parents get an online kindergarten queue",
    "Families in the Karaganda region no longer need to visit district education offices to put "
    "a child on the waiting list for a kindergarten. Starting January 15, the queue is kept on "
    "the eGov portal, where parents sign in with a digital signature or an SMS code and can "
    "track their child's position in real time. Last year the region received over 11,000 "
    "applications for preschool places, and roughly one parent in three complained about lines "
    "at the offices. Places are now assigned automatically. Applications filed on paper have "
    "been moved into the electronic system, so those parents do not have to apply again. The "
    "region expects to open 14 new kindergartens with 2,600 places this year, some of them "
    "built by private investors. Source : https://steppedaily.kz/regions/kindergarten-queue",
)
MINE_SAFETY = (
    "Mine rescuers of Karaganda region held a training",
    "Mine rescue units of Karaganda region held a training at the Kostenko mine in Karaganda. "
    "Forty rescuers practised evacuating miners from a collapsed drift and putting out an "
    "underground fire. The exercise lasted six hours; new breathing apparatus bought for "
    "120 million tenge was tested for the first time. The regional emergency department said "
    f"similar drills will take place at every mine of the coal basin by June.{CREDIT_EN}"
    "Source : https://www.gov.kz/memleket/entities/karaganda/2",
)
KINDERGARTEN_OTHER = (
    "Three new kindergartens opened in Temirtau",
    "Three new kindergartens for 840 children opened in Temirtau in Karaganda region. The "
    "buildings were erected under the Comfortable School programme of the education "
    "department; each has a swimming pool and a sports hall. Parents were offered places in "
    "the order of the electronic queue, and 320 children from the waiting list received "
    f"places at once. The akim of the city congratulated the staff.{CREDIT_EN}"
    "Source : https://www.gov.kz/memleket/entities/karaganda/3",
)
ROADS_RU = (
    "В Карагандинской области отремонтируют 300 километров дорог",
    "В Карагандинской области в этом году отремонтируют более 300 километров дорог местного "
    "значения. На ремонт выделено 96 миллиардов тенге из республиканского и местного "
    "бюджетов. Работы начнутся в апреле, подрядчики определены по итогам конкурса. Особое "
    "внимание уделят трассе Караганда – Темиртау, которую расширят до четырех полос, и "
    "подъездам к селам Бухар-Жырауского района. Завершить ремонт планируется до конца "
    f"октября. {CREDIT_RU}. Источник: https://www.gov.kz/memleket/entities/karaganda/4",
)
HOSPITAL_RU = (
    "В Караганде открыли новый онкологический центр",
    "В Караганде открыли новый онкологический центр на 250 коек. В здании разместились "
    "отделения химиотерапии, лучевой терапии и детский корпус, установлены аппараты МРТ и КТ. "
    "Стоимость строительства составила 42 миллиарда тенге. Для работы в центре привлечены 60 "
    "врачей, половина из которых — молодые специалисты, прошедшие обучение за рубежом. "
    f"{CREDIT_RU}. Источник: https://www.gov.kz/memleket/entities/karaganda/5",
)


def sig(article: tuple[str, str]) -> Signature:
    return signature(text_for_dedup(*article))


def first_sentences(article: tuple[str, str], count: int) -> tuple[str, str]:
    title, body = article
    return title, ". ".join(body.split(". ")[:count]) + "."


@pytest.mark.parametrize(
    ("original", "copy"),
    [
        (KINDERGARTEN, KINDERGARTEN_REWORDED),
        (KINDERGARTEN, first_sentences(KINDERGARTEN, 4)),
        (KINDERGARTEN, ("Kindergarten queue goes online", first_sentences(KINDERGARTEN, 3)[1])),
        (ROADS_RU, first_sentences(ROADS_RU, 3)),
        (HOSPITAL_RU, ("Онкоцентр на 250 коек открыт", first_sentences(HOSPITAL_RU, 3)[1])),
    ],
)
def test_copies_are_near_duplicates(original: tuple[str, str], copy: tuple[str, str]) -> None:
    assert is_near_duplicate(sig(original), sig(copy))
    assert is_near_duplicate(sig(copy), sig(original))


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (KINDERGARTEN, MINE_SAFETY),  # the same credit line
        (KINDERGARTEN, KINDERGARTEN_OTHER),  # the same topic, region and credit line
        (ROADS_RU, HOSPITAL_RU),  # the same Russian credit line
    ],
)
def test_different_stories_are_not(one: tuple[str, str], other: tuple[str, str]) -> None:
    assert not is_near_duplicate(sig(one), sig(other))


def test_credit_lines_and_links_are_cut() -> None:
    text = text_for_dedup("T", f"Body text here.{CREDIT_EN}Source : https://www.gov.kz/x/1")
    assert "Press" not in text
    assert "gov.kz" not in text
    kk = text_for_dedup("Т", "Жаңа мектеп ашылды. Қарағанды облысы әкімінің баспасөз қызметі")
    assert "баспасөз" not in kk


def test_cluster_index_groups_copies_under_the_first_article() -> None:
    index = ClusterIndex()
    assert index.add(1, sig(KINDERGARTEN)) == 1
    assert index.add(2, sig(MINE_SAFETY)) == 2
    assert index.add(3, sig(KINDERGARTEN_REWORDED)) == 1
    assert index.add(4, sig(KINDERGARTEN_OTHER)) == 4
    assert index.add(5, sig(first_sentences(KINDERGARTEN, 4))) == 1
    assert len(index) == 5


def test_restored_articles_keep_their_cluster() -> None:
    index = ClusterIndex()
    index.restore(10, sig(KINDERGARTEN), 7)
    index.restore(10, sig(KINDERGARTEN), 7)
    assert len(index) == 1
    assert index.add(11, sig(KINDERGARTEN_REWORDED)) == 7
    assert index.add(12, sig(MINE_SAFETY)) == 12


def _sketch_sharing_first_band(seed: int) -> Signature:
    """A random sketch whose first band (positions 0 and 1) is the same for every seed."""
    values = np.random.default_rng(seed).integers(0, 2**32, size=128, dtype=np.uint32)
    values[:2] = (7, 11)
    return Signature(sketch=values, size=100)


def test_a_crowded_band_key_is_dropped_but_copies_still_meet() -> None:
    index = ClusterIndex()
    boilerplate = [_sketch_sharing_first_band(seed) for seed in range(CROWDED + 5)]
    for article_id, sketch in enumerate(boilerplate[: CROWDED - 1]):
        assert index.add(article_id, sketch) == article_id
    shared_key = band_keys(boilerplate[0])[0]
    assert len(index.candidates([shared_key])) == CROWDED - 1
    index.add(CROWDED - 1, boilerplate[CROWDED - 1])
    assert index.candidates([shared_key]) == []  # shared by CROWDED articles: boilerplate
    for article_id in range(CROWDED, CROWDED + 5):
        assert index.add(article_id, boilerplate[article_id]) == article_id
    assert index.add(100, sig(KINDERGARTEN)) == 100
    assert index.add(101, sig(KINDERGARTEN_REWORDED)) == 100


def test_band_keys_fit_a_signed_bigint_and_repeat() -> None:
    keys = band_keys(sig(ROADS_RU))
    assert keys == band_keys(sig(ROADS_RU))
    assert keys and all(0 <= key < 2**63 for key in keys)
    assert band_keys(signature("")) == []


def test_signature_is_stable_across_processes() -> None:
    """Signatures are stored: a fixed text must always give the same bytes."""
    data = signature("Karaganda kindergarten queue online 2,600 places").to_bytes()
    assert len(data) == 520
    # version 3, eight stems (the number 600 counts three times), then the sketch
    assert data[:20].hex() == "0300000008000000543f1f1bdc6e8707a105156f"


def test_from_bytes_rejects_other_data() -> None:
    with pytest.raises(ValueError):
        Signature.from_bytes(b"\x00" * 10)
    data = bytearray(signature("some words here").to_bytes())
    data[0] = 99
    with pytest.raises(ValueError):
        Signature.from_bytes(bytes(data))


texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=400)


@given(texts)
def test_bytes_round_trip(text: str) -> None:
    original = signature(text)
    assert Signature.from_bytes(original.to_bytes()) == original


@given(texts)
def test_a_text_is_fully_similar_to_itself(text: str) -> None:
    one = signature(text)
    assert similarity(one, signature(text)) == 1.0
    assert is_near_duplicate(one, one)


@given(texts, texts)
def test_near_duplicate_is_symmetric(a: str, b: str) -> None:
    one, other = signature(a), signature(b)
    assert is_near_duplicate(one, other) == is_near_duplicate(other, one)


def test_word_shingles_keep_their_stored_values() -> None:
    """Pinned values from the first (numpy) implementation: stored signatures depend on them.

    Stopwords ("the", "облысы") and one-letter words give none; the number gives three.
    """
    words = ["karaganda", "2600", "мектептер", "школы", "a", "the", "облысы", "ab"]
    assert content_shingles(words).tolist() == [
        3715543424,
        648024845,
        2909229849,
        2343556795,
        3901291720,
        2893967356,
        3645458081,
    ]


def test_band_keys_keep_their_stored_values() -> None:
    """Band keys are stored and looked up in the database: a fixed text keeps its keys."""
    keys = band_keys(signature("Karaganda kindergarten queue online 2,600 places"))
    assert len(keys) == 64
    assert keys[:3] == [8847127196874516449, 6871066296389251401, 7920546715635853716]
