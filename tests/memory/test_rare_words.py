"""Which words of a message full-text matching looks for: names, places, a hobby's own terms;
never everyday English or chat slang."""

import pytest

from memory.rare_words import common_words, rare_words


@pytest.mark.parametrize(
    ("message", "rare"),
    [
        ("bella learned to say hello this morning 😂", "bella"),
        ("marisol's bachelorette was wild", "marisol bachelorette"),
        ("missing TROMSØ so much rn", "tromsø"),
        ("the miata needs new tyres, the miata!!", "miata tyres"),
        ("sunday football at work again lol", ""),
        ("hey babe gonna miss u 😘", ""),
        ("", ""),
    ],
)
def test_the_rare_words_of_a_message(message: str, rare: str) -> None:
    assert rare_words(message) == rare


def test_the_common_list_is_everyday_english_and_chat_slang() -> None:
    common = common_words()
    assert len(common) > 5000
    assert {"work", "football", "pizza", "lol", "babe"} <= common
    assert not {"bella", "tromsø", "miata", "ossobuco"} & common
