"""The collector pause around bursts of long-lived allocations."""

from __future__ import annotations

import gc

from viewer.core.memory import collection_paused


def test_the_collector_is_off_inside_and_back_on_after():
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_freezing_moves_what_the_burst_made_out_of_the_collectors_sight():
    gc.unfreeze()
    with collection_paused(freeze=True):
        kept = [[n] for n in range(1000)]
    try:
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()


def test_a_collector_the_caller_turned_off_stays_off_and_nothing_is_frozen():
    gc.unfreeze()
    gc.disable()
    try:
        with collection_paused(freeze=True):
            pass
        assert not gc.isenabled()
        assert gc.get_freeze_count() == 0
    finally:
        gc.enable()
