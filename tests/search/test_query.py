"""What a person types becomes a safe, French-aware query, the same for every engine (search/query.py).

The engines match each stem as a prefix, so a stem must be a prefix of every form it stands for:
these tests state that directly ("sécurité" and "securite" share a stem that both start with).
"""

import pytest

from search.query import MAX_LENGTH, MAX_TERMS, fold, parse, stem


def stems(text):
    return [term.stems for term in parse(text).terms]


def matches(query, word):
    """Whether an engine would find `word` (as written in a page) for `query`: every stem a prefix of it."""
    return all(fold(word).startswith(s) for term in parse(query).terms for s in term.stems)


def test_fold_lowercases_and_drops_accents():
    assert fold("Sécurité Réseaux Œuvre çà") == "securite reseaux œuvre ca"


@pytest.mark.parametrize(
    "typed, written",
    [
        ("securite", "sécurité"),
        ("sécurité", "securite"),
        ("SÉCURITÉ", "sécurités"),
        ("réseaux", "réseau"),
        ("réseau", "réseaux"),
        ("reseaux", "Réseau"),
        ("nationaux", "national"),
        ("national", "nationaux"),
        ("données", "donnée"),
        ("entreprises", "entreprise"),
        ("bureaux", "bureau"),
        ("créatives", "créatif"),
    ],
)
def test_french_forms_share_a_stem_the_engines_match_as_a_prefix(typed, written):
    assert matches(typed, written)


@pytest.mark.parametrize("typed", ["l'entreprise", "L'entreprise", "l’entreprise", "d'entreprise", "qu'entreprise"])
def test_elisions_are_dropped(typed):
    assert parse(typed).terms[0].text == "entreprise"
    assert stems(typed) == stems("entreprise")


def test_short_words_and_numbers_are_kept_whole():
    assert stem("web") == "web"
    assert stem("2025") == "2025"
    assert stems("IoT 5G") == [("iot",), ("5g",)]


def test_different_words_keep_different_stems():
    assert stem("sécurité") != stem("réseau")
    assert not matches("réseau", "sécurité")


def test_a_quoted_part_is_a_phrase_and_the_rest_are_words():
    parsed = parse('"cloud souverain" données')
    phrase, word = parsed.terms
    assert phrase.is_phrase and phrase.text == "cloud souverain"
    assert phrase.stems == (stem("cloud"), stem("souverain"))
    assert not word.is_phrase and word.text == "donnees"


def test_a_quoted_single_word_is_a_word():
    assert not parse('"cloud"').terms[0].is_phrase


def test_an_unbalanced_quote_counts_as_a_space():
    assert stems('"cloud souverain') == [("cloud",), (stem("souverain"),)]
    assert stems('cloud" souverain "data"') == stems("cloud souverain data")


@pytest.mark.parametrize("typed", ["cloud AND data", "cloud OR data", "NOT cloud data", "cloud NEAR data"])
def test_operators_typed_in_capitals_are_not_words(typed):
    assert [t.text for t in parse(typed).terms] == ["cloud", "data"]


def test_operator_words_in_lower_case_are_searched():
    assert "not" in [t.text for t in parse("not cloud").terms]


@pytest.mark.parametrize(
    "typed", ["*", "~", ":", "()", "[]{}", "* ~ : ( ) [ ] { } ^ - +", '""', "''", "AND OR NOT", ""]
)
def test_syntax_alone_gives_an_empty_query(typed):
    parsed = parse(typed)
    assert not parsed
    assert parsed.terms == []


@pytest.mark.parametrize("typed", ["title:cloud", "cloud*", "cloud~2", "(cloud)", "cloud^3", "-cloud", "+cloud"])
def test_engine_syntax_is_never_passed_through(typed):
    assert "cloud" in [t.text for t in parse(typed).terms]
    for term in parse(typed).terms:
        assert all(s.isalnum() for s in term.stems)


def test_nul_bytes_and_control_characters_are_spaces():
    parsed = parse("sécu\x00rité\x07réseau\u200b\tcloud")
    assert "\x00" not in parsed.raw and "\x07" not in parsed.raw
    assert [t.text for t in parsed.terms] == ["secu", "rite", "reseau", "cloud"]


def test_stop_words_are_dropped_unless_they_are_all_there_is():
    assert [t.text for t in parse("la sécurité des réseaux").terms] == ["securite", "reseaux"]
    assert [t.text for t in parse("le la les").terms] == ["le", "la", "les"]


def test_the_same_stem_twice_is_one_term():
    assert stems("réseau réseaux Réseaux") == [(stem("réseau"),)]


def test_a_long_query_is_cut_with_truncated_set():
    parsed = parse("sécurité " * 1000)
    assert parsed.truncated
    assert len(parsed.raw) <= MAX_LENGTH
    assert parsed.terms[0].stems == (stem("sécurité"),)


def test_five_thousand_characters_are_cut():
    parsed = parse("x" * 5000)
    assert parsed.truncated and len(parsed.raw) == MAX_LENGTH


def test_a_query_within_the_limits_is_not_truncated():
    parsed = parse("sécurité des réseaux")
    assert not parsed.truncated and parsed.raw == "sécurité des réseaux"


def test_too_many_words_are_cut_with_truncated_set():
    parsed = parse(" ".join(f"mot{n}" for n in range(MAX_TERMS + 5)))
    assert parsed.truncated
    assert len(parsed.terms) == MAX_TERMS


def test_words_lists_every_folded_stem_for_highlighting():
    assert parse('"cloud souverain" Sécurité').words == [stem("cloud"), stem("souverain"), stem("sécurité")]


def test_anything_parses():
    for typed in [None, 42, "\x00" * 10, "'" * 50, '"' * 7, "l'", "\ud7ff", "🙂 sécurité 🙂"]:
        parse(typed)
