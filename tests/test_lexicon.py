"""The event lexicon in resources/: every trigger's keys let through every text it matches."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.core.lexicon import load_lexicon

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = [
    "The ministers met with each other and will meet again; meetings were held.",
    "They held talks, had consultations and sat down for talks; talks between them.",
    "She received her counterpart, hosted the envoy and welcomed the delegation.",
    "The two presidents shook hands at the summit.",
    "The envoy called on President Rivera and paid a courtesy call on the governor.",
    "They held a video call, then a videoconference, and later spoke by telephone.",
    "The minister is expected to visit the capital and will tour the port.",
    "He arrived in the capital, landed in the port and is arriving at the base.",
    "She will arrive in the capital after she flew into the port.",
    "The minister arrived Tuesday; her deputy flew in on the same day.",
    "A visit to the north, a trip to the coast, visited the plant, travelled to the city.",
    "She is scheduled to travel to the coast and fly to the islands.",
    "On Tuesday he moved on to the capital.",
    "The envoy wrapped up a three-day visit to the region.",
    "The envoy left Lima on Friday after a three-day visit.",
    "The envoy will leave Lima for Quito on Saturday.",
    "The envoy is visiting the capital.",
    "They signed an agreement; the treaty was signed; an accord was inked.",
    "The ministers signed the Plan of Military Cooperation and a roadmap.",
    "The two sides ink MoU; a memorandum on training was exchanged; the signature of a "
    "letter of intent followed.",
    "The defence exhibition and the joint commission met; the conference centre was full.",
    "She was appointed minister in July.",
    "Joint naval drills and military exercises and war games began.",
    "The summit and the conference and the forum opened.",
    "The country became a full member, joined the bloc, its accession; the bloc agreed to "
    "admit two states.",
    "The lifting of the arms embargo; sanctions were lifted; the embargo ended.",
    "The alliance was established in 1992; he was elected and sworn in.",
]


def texts() -> list[str]:
    corpus = [p.read_text("utf-8", errors="replace")
              for p in sorted((ROOT / "seeds").glob("*.txt"))]
    corpus += [p.read_text("utf-8", errors="replace")
               for p in sorted((ROOT / "tests" / "eval_corpus").glob("*.txt"))]
    return SAMPLES + corpus


@pytest.mark.parametrize("index", range(len(load_lexicon().triggers)))
def test_every_match_of_a_trigger_contains_one_of_its_keys(index):
    trigger = load_lexicon().triggers[index]
    matched = 0
    for text in texts():
        for match in trigger.pattern.finditer(text):
            matched += 1
            text = match.group(0).lower()
            assert not trigger.keys or any(k in text for k in trigger.keys), (
                trigger.kind, match.group(0))
    assert matched, f"trigger {index} ({trigger.kind}) matched none of the sample texts"


def test_topics_are_found_by_their_words_whatever_the_case():
    lexicon = load_lexicon()
    assert "fighter jets" in lexicon.topics_in("a contract for FIGHTER JETS and Su-35s")
    assert lexicon.topics_in("nothing to see here") == frozenset()


def test_find_words_respects_word_boundaries_and_open_ended_words():
    from viewer.core.lexicon import find_words

    text = "the metal met su-75 sus- trade, trader".lower()
    found = find_words(text, ["met", "su-", "trade"])
    assert found == [(10, "met"), (14, "su-"), (25, "trade")]


def test_only_sentences_holding_a_key_get_their_triggers_tried():
    lexicon = load_lexicon()
    text = "Rain fell all day. The envoys met in Lima. The İzmir drills began."
    starts = [0, text.index("The envoys"), text.index("The İzmir")]
    candidates = lexicon.triggers_by_sentence(text, starts)
    assert candidates[0] == ()
    assert {t.kind.value for t in candidates[1]} >= {"meeting"}
    assert {t.kind.value for t in candidates[2]} >= {"exercise"}


def test_an_end_marker_counts_only_when_it_runs_up_to_the_date():
    lexicon = load_lexicon()
    text = "The envoy wrapped up his tour of the region on Friday, officials said."
    friday = text.index("Friday")
    assert not lexicon.ends_before(text, friday)  # "his tour of the region" stands between
    text = "The envoy's tour of the region wrapped up on Friday."
    assert lexicon.ends_before(text, text.index("Friday"))
    assert not lexicon.ends_before(text, text.index("region"))


def test_topics_of_several_words_are_found_by_their_first_word():
    lexicon = load_lexicon()
    phrase = next(w for w in lexicon.topic_of if " " in w)
    text = f"Talks. They spoke of {phrase.upper()} at length."
    topics = lexicon.topics_by_sentence(text, [0, text.index("They")])
    assert topics == [frozenset(), frozenset({lexicon.topic_of[phrase]})]


def test_find_words_finds_every_word_of_a_shared_beginning_at_one_place():
    from viewer.core.lexicon import find_words

    text = "she arrived; he arrives; they were arriving"
    found = find_words(text, ["arrives", "arriv", "arrived"], whole_words=False)
    assert found == [(4, "arriv"), (4, "arrived"), (16, "arriv"), (16, "arrives"),
                     (35, "arriv")]


def test_a_topic_word_counts_only_where_its_first_word_stands_alone_somewhere():
    lexicon = load_lexicon()
    # "arms_deal" in a link is one token: the topic's first word "arms" is not in the text.
    assert lexicon.topics_by_sentence("See /news/arms_deal now.", [0]) == [frozenset()]
    text = "They discussed arms sales."
    assert lexicon.topics_by_sentence(text, [0]) == [frozenset({lexicon.topic_of["arms sales"]})]
