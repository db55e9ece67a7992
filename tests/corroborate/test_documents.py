"""Story clustering of whole documents: two events of one kind must stay apart."""

from __future__ import annotations

import random

import pytest

from sitroom.corroborate.documents import cluster_documents, extract_signals

LORCA = [
    "A magnitude 5.1 earthquake struck Lorca in Murcia on Wednesday, killing 9 people and damaging the old town.",
    "Nine people died when an earthquake hit the Spanish town of Lorca on Wednesday evening, officials in Murcia said.",
    "Rescuers searched rubble in Lorca after Wednesday's 5.1 earthquake; Murcia's regional government counted 9 dead.",
    "Spain's King visited Lorca, where the Wednesday earthquake of magnitude 5.1 killed 9 residents in Murcia.",
]
CHRISTCHURCH = [
    "A magnitude 6.3 earthquake struck Christchurch in New Zealand on Tuesday, killing 185 people in Canterbury.",
    "The Christchurch earthquake on Tuesday left 185 dead, New Zealand's Prime Minister John Key said in Canterbury.",
    "Rescuers in Christchurch dug through rubble after Tuesday's 6.3 earthquake; Canterbury officials counted 185 dead.",
    "New Zealand mourned 185 victims of the Tuesday earthquake of magnitude 6.3 that hit Christchurch, Canterbury.",
]
PIRATES = [
    "The Indian Navy frigate INS Sukanya captured 26 Somali pirates in the Gulf of Aden on Thursday.",
    "INS Sukanya foiled a pirate attack on merchant ships in the Gulf of Aden and detained 26 Somali pirates.",
]


def _partition(labels, texts):
    groups: dict[int, set[str]] = {}
    for label, text in zip(labels, texts, strict=True):
        groups.setdefault(label, set()).add(text)
    return {frozenset(group) for group in groups.values()}


def test_two_earthquakes_are_two_events():
    texts = LORCA + CHRISTCHURCH + PIRATES
    partition = _partition(cluster_documents(texts), texts)
    assert partition == {frozenset(LORCA), frozenset(CHRISTCHURCH), frozenset(PIRATES)}


@pytest.mark.parametrize("seed", range(3))
def test_partition_does_not_depend_on_order(seed):
    texts = LORCA + CHRISTCHURCH + PIRATES
    shuffled = list(texts)
    random.Random(seed).shuffle(shuffled)
    assert _partition(cluster_documents(shuffled), shuffled) == _partition(cluster_documents(texts), texts)


def test_labels_are_numbered_in_order_of_first_member():
    labels = cluster_documents(PIRATES + LORCA)
    assert labels[0] == 0
    assert sorted(set(labels)) == list(range(len(set(labels))))
    assert cluster_documents([]) == []
    assert cluster_documents(["one lonely report"]) == [0]


def test_signals_are_names_and_numbers():
    tokens = extract_signals("The Indian Navy captured 26 pirates near Gulf of Aden on Thursday.")
    assert {"the_indian_navy", "indian", "navy", "gulf_of_aden", "#26", "thursday"} <= set(tokens)
