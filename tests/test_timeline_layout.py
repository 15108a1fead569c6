"""The timeline's geometry: time to x, ticks, lane packing, badges and hit tests, without Qt."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.core.model import EventKind, Precision
from viewer.ui.timeline_layout import (
    MIN_DAYS_PER_PIXEL,
    MIN_FIT_DAYS,
    CharWidths,
    Cluster,
    LaneGeometry,
    RowSlices,
    TimelineItem,
    TimeScale,
    date_of_day,
    day_of_date,
    estimated_label_width,
    fit_all_scale,
    hit_test,
    pack_gather,
    pack_lanes,
    pack_order,
    pack_order_of,
    pack_window,
    pass_index,
    range_label,
    restrict_pack_order,
    screen_point,
    spread_lanes,
    ticks,
)

GEOMETRY = LaneGeometry(max_lanes=4)


def point(row: int, iso: str, title: str = "Talks in port") -> TimelineItem:
    d = day_of_date(dt.date.fromisoformat(iso))
    return TimelineItem(row, d, d + 1, Precision.DAY, EventKind.MEETING, title)


def bar(row: int, first: str, last: str, precision: Precision, title: str = "Stay") -> TimelineItem:
    start = day_of_date(dt.date.fromisoformat(first))
    end = day_of_date(dt.date.fromisoformat(last)) + 1
    return TimelineItem(row, start, end, precision, EventKind.VISIT, title)


def boxes_overlap(a, b) -> bool:
    gap = GEOMETRY.box_gap
    return a.lane == b.lane and a.x0 < b.right + gap and b.x0 < a.right + gap


# --- the scale -------------------------------------------------------------------------------


def test_day_of_is_the_inverse_of_x_of() -> None:
    scale = TimeScale(18_000.0, 0.37)
    for day in (18_000.0, 18_123.25, 17_000.5):
        assert abs(scale.day_of(scale.x_of(day)) - day) < 1e-9


def test_zooming_keeps_the_day_under_the_cursor_in_place() -> None:
    scale = TimeScale(18_000.0, 2.0)
    anchor = scale.day_of(300)
    zoomed = scale.zoomed(4.0, around_x=300)
    assert zoomed.days_per_pixel == 0.5
    assert abs(zoomed.day_of(300) - anchor) < 1e-9


def test_panning_right_shows_earlier_days() -> None:
    scale = TimeScale(18_000.0, 1.0)
    assert scale.panned(50).start_day == 17_950.0


def test_fit_shows_the_whole_range_inside_the_margins() -> None:
    scale = TimeScale.fit(1000.0, 3000.0, width=800, margin=20)
    assert abs(scale.x_of(1000.0) - 20) < 1e-6
    assert abs(scale.x_of(3000.0) - 780) < 1e-6


def test_day_numbers_round_trip_through_dates() -> None:
    day = dt.date(2021, 10, 19)
    assert date_of_day(day_of_date(day) + 0.75) == day


# --- ticks -----------------------------------------------------------------------------------


def fitted(first: str, last: str, width: int = 1000) -> TimeScale:
    start = day_of_date(dt.date.fromisoformat(first))
    end = day_of_date(dt.date.fromisoformat(last)) + 1
    return TimeScale(start, (end - start) / width)


def assert_labels_apart(tick_list, gap: float = 12.0) -> None:
    for a, b in pairwise(tick_list):
        assert b.x - a.x >= estimated_label_width(a.label) + gap


def test_ticks_show_years_when_decades_are_visible() -> None:
    tick_list = ticks(fitted("1980-01-01", "2024-12-31"), 1000)
    labels = [t.label for t in tick_list if t.label]
    assert labels and all(label.isdigit() and len(label) == 4 for label in labels)
    assert_labels_apart(tick_list)


def test_ticks_show_days_over_a_week() -> None:
    tick_list = ticks(fitted("2021-10-18", "2021-10-24"), 1000)
    assert "Tue 19 Oct" in [t.label for t in tick_list]
    assert_labels_apart(tick_list)


def test_ticks_show_hours_over_one_day() -> None:
    tick_list = ticks(fitted("2021-10-19", "2021-10-19"), 1000)
    labels = [t.label for t in tick_list]
    assert "12:00" in labels
    assert_labels_apart(tick_list)


def test_ticks_show_months_over_a_year() -> None:
    tick_list = ticks(fitted("2021-01-01", "2021-12-31"), 1000)
    assert "Oct 2021" in [t.label for t in tick_list]
    assert_labels_apart(tick_list)


@settings(max_examples=60, deadline=None)
@given(start=st.floats(-20_000, 40_000), log_dpp=st.floats(-7, 7), width=st.integers(100, 2000))
def test_tick_labels_never_overlap_at_any_zoom(start: float, log_dpp: float, width: int) -> None:
    scale = TimeScale(start, 2.0**log_dpp)
    assert_labels_apart(ticks(scale, width))


def test_range_label_names_the_visible_years() -> None:
    assert range_label(fitted("1990-01-01", "2024-12-31"), 1000) == "1990 \u2013 2024"


# --- lanes -----------------------------------------------------------------------------------


def test_events_on_the_same_day_go_to_separate_lanes() -> None:
    layout = pack_lanes([point(0, "2021-10-19"), point(1, "2021-10-19")], 0.1, GEOMETRY)
    assert {layout.placed[0].lane, layout.placed[1].lane} == {0, 1}


def test_far_apart_events_share_the_first_lane() -> None:
    layout = pack_lanes([point(0, "2021-10-19"), point(1, "2021-12-19")], 0.1, GEOMETRY)
    assert layout.placed[0].lane == layout.placed[1].lane == 0


item_strategy = st.builds(
    lambda row, start, length, precision, letters: TimelineItem(
        row, float(start), float(start + length), precision, EventKind.MEETING, "x" * letters),
    row=st.integers(0, 10_000),
    start=st.integers(0, 400),
    length=st.integers(1, 40),
    precision=st.sampled_from(list(Precision)),
    letters=st.integers(0, 25),
)


@settings(max_examples=80, deadline=None)
@given(items=st.lists(item_strategy, max_size=60, unique_by=lambda i: i.row),
       dpp=st.floats(0.05, 5.0))
def test_packed_boxes_never_overlap_and_every_item_is_placed_or_folded(items, dpp) -> None:
    layout = pack_lanes(items, dpp, GEOMETRY)
    placed = list(layout.placed.values())
    for i, a in enumerate(placed):
        for b in placed[i + 1:]:
            assert not boxes_overlap(a, b)
    assert set(layout.placed) | set(layout.folded) == {i.row for i in items}
    assert not set(layout.placed) & set(layout.folded)


def test_crowded_day_folds_into_a_badge_counting_the_folded_events() -> None:
    items = [point(row, "2021-10-19") for row in range(10)]
    layout = pack_lanes(items, 1.0, GEOMETRY)
    assert len(layout.placed) == GEOMETRY.max_lanes
    (badge,) = layout.clusters
    assert badge.count == 10 - GEOMETRY.max_lanes
    assert badge.label == f"+{badge.count}"
    assert set(badge.rows) == set(layout.folded)


def test_badge_extent_covers_its_folded_events() -> None:
    def on(row: int, day: float) -> TimelineItem:
        return TimelineItem(row, day, day + 1, Precision.DAY, EventKind.MEETING, "Talks")

    # At half a day a pixel, days 440 and 441 land in the same 44 px bucket.
    items = [on(row, 440.0) for row in range(6)] + [on(9, 441.0)]
    layout = pack_lanes(items, 0.5, GEOMETRY)
    (badge,) = layout.clusters
    assert (badge.first_day, badge.last_day) == (440.0, 442.0)


def test_day_events_get_lanes_before_year_wide_bars() -> None:
    years = [bar(row, "2021-01-01", "2021-12-31", Precision.YEAR) for row in range(4)]
    layout = pack_lanes([*years, point(99, "2021-06-01")], 0.5, GEOMETRY)
    assert layout.placed[99].lane == 0


def test_month_precision_bar_spans_the_whole_month() -> None:
    item = bar(0, "2021-02-01", "2021-02-28", Precision.MONTH)
    layout = pack_lanes([item], 0.5, GEOMETRY)
    placed = layout.placed[0]
    assert placed.x0 == day_of_date(dt.date(2021, 2, 1)) / 0.5
    assert placed.x1 == day_of_date(dt.date(2021, 3, 1)) / 0.5


def test_a_label_that_fits_inside_its_bar_is_drawn_inside() -> None:
    layout = pack_lanes([bar(0, "2021-01-01", "2021-12-31", Precision.YEAR)], 0.5,
                        GEOMETRY)
    assert layout.placed[0].label_inside


def test_labels_longer_than_the_cap_are_cut_to_it() -> None:
    layout = pack_lanes([point(0, "2021-10-19", title="A very long title " * 10)], 1.0, GEOMETRY)
    assert layout.placed[0].label_width == GEOMETRY.max_label_width


# --- the visible subset and hit tests --------------------------------------------------------


def test_visible_subset_excludes_events_off_screen() -> None:
    items = [point(0, "2021-10-19"), point(1, "2022-10-19"), point(2, "2021-10-20")]
    layout = pack_lanes(items, 0.1, GEOMETRY)
    scale = fitted("2021-10-18", "2021-10-24", width=1000)
    scale = TimeScale(scale.start_day, 0.1)
    visible, _ = layout.visible_on(scale, 700)
    assert {p.row for p in visible} == {0, 2}


def test_a_long_bar_starting_before_the_screen_is_still_visible() -> None:
    layout = pack_lanes([bar(0, "2000-01-01", "2030-12-31", Precision.YEAR)], 0.01, GEOMETRY)
    scale = TimeScale(day_of_date(dt.date(2021, 10, 19)), 0.01)
    visible, _ = layout.visible_on(scale, 800)
    assert [p.row for p in visible] == [0]


def test_hit_test_finds_the_row_under_its_marker() -> None:
    items = [point(0, "2021-10-19"), point(1, "2021-10-19"), point(2, "2021-11-19")]
    layout = pack_lanes(items, 0.1, GEOMETRY)
    scale = TimeScale(day_of_date(dt.date(2021, 10, 1)), 0.1)
    for row in (0, 1, 2):
        x, y = screen_point(layout, scale, row)
        assert hit_test(layout, scale, x, y) == row


def test_hit_test_on_empty_space_finds_nothing() -> None:
    layout = pack_lanes([point(0, "2021-10-19")], 0.1, GEOMETRY)
    scale = TimeScale(day_of_date(dt.date(2021, 10, 1)), 0.1)
    x, y = screen_point(layout, scale, 0)
    assert hit_test(layout, scale, x - 40, y) is None
    assert hit_test(layout, scale, x, y + GEOMETRY.lane_height * 2) is None


def test_hit_test_on_a_badge_returns_the_cluster() -> None:
    items = [point(row, "2021-10-19") for row in range(10)]
    layout = pack_lanes(items, 1.0, GEOMETRY)
    (badge,) = layout.clusters
    scale = TimeScale(day_of_date(dt.date(2021, 9, 1)), 1.0)
    hit = hit_test(layout, scale, badge.x - scale.world_offset(), GEOMETRY.cluster_row_centre())
    assert isinstance(hit, Cluster) and hit.count == badge.count


# --- fit-all and the closest zoom ------------------------------------------------------------


def test_fit_all_over_a_few_days_shows_at_least_two_weeks() -> None:
    first = day_of_date(dt.date(2021, 10, 17))
    scale = fit_all_scale(first, first + 3, width=1000, label_room=150)
    shown = scale.day_of(1000) - scale.day_of(0)
    assert shown >= MIN_FIT_DAYS
    assert scale.day_of(0) < first and scale.day_of(1000) > first + 3


def test_fit_all_over_a_week_has_no_hour_ticks_even_on_a_wide_screen() -> None:
    first = day_of_date(dt.date(2021, 10, 17))
    for width in (900, 1400, 2800, 4000):
        scale = fit_all_scale(first, first + 5, width)
        labels = [t.label for t in ticks(scale, width, min_step_days=1.0)]
        assert labels and not any(":" in label for label in labels)


def test_fit_all_leaves_room_for_the_last_label() -> None:
    first, last = day_of_date(dt.date(2020, 1, 1)), day_of_date(dt.date(2023, 1, 1))
    scale = fit_all_scale(first, last, width=1000, label_room=200, margin=20)
    assert scale.x_of(last) <= 1000 - 200
    assert scale.x_of(first) >= 20 - 1e-6


def test_zooming_in_stops_at_a_day_across_the_view_with_ticks_hours_apart() -> None:
    scale = TimeScale(18_000.0, 1.0).zoomed(1e9, around_x=0)
    assert scale.days_per_pixel == MIN_DAYS_PER_PIXEL
    assert 1.0 <= scale.days_per_pixel * 1000 <= 2.0
    tick_list = ticks(scale, 1000)
    assert all(b.x - a.x >= 2 / 24 / scale.days_per_pixel for a, b in pairwise(tick_list))


# --- tick labels at the edge -----------------------------------------------------------------


def test_a_tick_label_that_would_run_past_the_right_edge_is_left_out() -> None:
    # "Jan 2024" would start 20 px before the edge and need about 60.
    width = 1000
    jan = day_of_date(dt.date(2024, 1, 1))
    scale = TimeScale(jan - (width - 20) * 1.5, 1.5)
    tick_list = ticks(scale, width)
    assert tick_list[-1].x == pytest.approx(width - 20) and tick_list[-1].label == ""
    for t in tick_list:
        if t.label:
            assert t.x + 3 + estimated_label_width(t.label) <= width


# --- labels use the free space in their lane -------------------------------------------------


def test_a_long_label_runs_on_into_free_space_up_to_the_next_item() -> None:
    long_title = "Collective security council joint exercise in the northern hills"
    items = [point(0, "2021-10-01", title=long_title), point(1, "2021-10-31", title="Talks")]
    layout = pack_lanes(items, 0.1, GEOMETRY)
    first, second = layout.placed[0], layout.placed[1]
    assert first.lane == second.lane
    assert first.label_width == GEOMETRY.max_label_width  # packing reserves the cap only
    assert layout.label_right(first) == second.x0 - GEOMETRY.box_gap
    assert layout.label_right(second) == second.label_x + estimated_label_width("Talks")


def test_a_wider_bold_label_gets_the_free_space_it_needs() -> None:
    layout = pack_lanes([point(0, "2021-10-01", title="Envoys meet in port")], 0.1, GEOMETRY)
    placed = layout.placed[0]
    bold = placed.title_width * 1.15
    assert layout.label_right(placed, bold) == pytest.approx(placed.label_x + bold)


@settings(max_examples=60, deadline=None)
@given(items=st.lists(item_strategy, max_size=60, unique_by=lambda i: i.row),
       dpp=st.floats(0.05, 5.0))
def test_labels_never_run_into_the_next_item_of_their_lane(items, dpp) -> None:
    layout = pack_lanes(items, dpp, GEOMETRY)
    for lane in layout.lanes:
        for a, b in pairwise(lane.items):
            right = layout.label_right(a, 10_000.0)
            if right > a.label_x:  # a label is drawn
                assert right + GEOMETRY.box_gap <= b.x0 + 1e-9


def test_hit_test_finds_a_label_that_runs_into_free_space() -> None:
    long_title = "A long title " * 8
    layout = pack_lanes([point(0, "2021-10-01", title=long_title)], 0.1, GEOMETRY)
    placed = layout.placed[0]
    scale = TimeScale(day_of_date(dt.date(2021, 9, 1)), 0.1)
    x = placed.label_x + GEOMETRY.max_label_width + 100 - scale.world_offset()
    assert hit_test(layout, scale, x, GEOMETRY.lane_centre(0)) == 0


# --- lanes spread over the height ------------------------------------------------------------


def test_few_lanes_grow_and_sit_in_the_middle_of_the_height_not_at_one_edge() -> None:
    geometry = LaneGeometry(max_lanes=10)
    layout = spread_lanes(pack_lanes([point(0, "2021-10-19"), point(1, "2021-10-19")], 0.1,
                                     geometry), bottom=300)
    g = layout.geometry
    assert g.lane_height == 2 * geometry.lane_height
    space_above = g.top - geometry.top
    space_below = 300 - 6 - (g.top + 2 * g.lane_height)
    assert space_above > 50
    assert abs(space_above - space_below) <= 1


def test_a_full_view_keeps_its_lanes() -> None:
    geometry = LaneGeometry(max_lanes=4)
    items = [point(row, "2021-10-19") for row in range(10)]
    packed = pack_lanes(items, 1.0, geometry)
    layout = spread_lanes(packed, bottom=geometry.bottom())
    assert layout.geometry == geometry


def test_hit_test_follows_the_spread_lanes() -> None:
    items = [point(0, "2021-10-19"), point(1, "2021-10-19")]
    layout = spread_lanes(pack_lanes(items, 0.1, LaneGeometry(max_lanes=10)), bottom=300)
    scale = TimeScale(day_of_date(dt.date(2021, 10, 1)), 0.1)
    for row in (0, 1):
        x, y = screen_point(layout, scale, row)
        assert hit_test(layout, scale, x, y) == row


def test_a_badge_that_stepped_aside_is_hit_where_it_is_drawn() -> None:
    items = [point(row, "2021-10-19") for row in range(10)]
    layout = pack_lanes(items, 1.0, GEOMETRY)
    (badge,) = layout.clusters
    scale = TimeScale(day_of_date(dt.date(2021, 9, 1)), 1.0)
    sat, y = badge.x - scale.world_offset(), GEOMETRY.cluster_row_centre()
    drawn = sat + 60
    moved = (badge, drawn)
    assert hit_test(layout, scale, drawn, y, moved_badge=moved) == badge
    assert hit_test(layout, scale, sat, y, moved_badge=moved) is None


# --- 100,000 events: columns, windows, level of detail ---------------------------------------


def test_pack_order_of_columns_sorts_by_pass_then_start_like_pack_order() -> None:
    items = [point(0, "2021-10-19"), bar(1, "2021-01-01", "2021-12-31", Precision.YEAR),
             point(2, "2021-10-18"), point(3, "2021-10-18")]
    by_row = {i.row: i for i in items}
    columns = pack_order_of([i.row for i in items], [i.start for i in items],
                            [i.end for i in items],
                            [pass_index(i.precision, i.context) for i in items],
                            by_row.__getitem__)
    assert list(columns.rows) == [2, 3, 0, 1] == list(pack_order(items).rows)
    assert columns.runs == ((0, 3), (3, 4))
    assert columns.spans[1] == 365.0


def test_a_crowded_column_costs_as_many_tries_as_it_has_lanes_not_as_it_has_events() -> None:
    asked: list[str] = []

    def measuring(title: str) -> float:
        asked.append(title)
        return estimated_label_width(title)

    items = [point(row, "2021-10-19") for row in range(5000)]
    layout = pack_lanes(items, 1.0, GEOMETRY, measuring)
    assert len(asked) <= GEOMETRY.max_lanes + 8
    assert len(layout.placed) + len(layout.folded) == 5000
    (badge,) = layout.clusters
    assert badge.count == 5000 - len(layout.placed)


def test_folded_rows_name_their_badge_and_placed_rows_have_none() -> None:
    items = [point(row, "2021-10-19") for row in range(10)]
    layout = pack_lanes(items, 1.0, GEOMETRY)
    (badge,) = layout.clusters
    for row in range(10):
        if row in layout.placed:
            assert row not in layout.folded
        else:
            assert layout.folded[row] is badge
    assert 99 not in layout.folded


def test_a_window_packs_only_what_reaches_into_it() -> None:
    items = [point(row, f"2021-{month:02d}-15") for row, month in enumerate(range(1, 13))]
    dpp = 0.05  # 15 May sits 340 px left of June: further than a label reaches
    june = day_of_date(dt.date(2021, 6, 1)) / dpp
    window = (june, june + 600)  # 30 days of June
    layout = pack_lanes(items, dpp, GEOMETRY, window=window)
    assert set(layout.placed) == {5}  # 15 June
    assert not layout.folded


def test_a_year_bar_that_started_long_before_a_window_is_packed_in_it() -> None:
    items = [bar(0, "2021-01-01", "2021-12-31", Precision.YEAR), point(1, "2021-10-19")]
    dpp = 0.01
    x = day_of_date(dt.date(2021, 10, 18)) / dpp
    layout = pack_lanes(items, dpp, GEOMETRY, window=(x, x + 800))
    assert set(layout.placed) == {0, 1}


@settings(max_examples=60, deadline=None)
@given(items=st.lists(item_strategy, max_size=60, unique_by=lambda i: i.row),
       dpp=st.floats(0.05, 5.0), left=st.floats(-200, 8000), width=st.floats(50, 2000))
def test_in_a_window_every_item_reaching_it_is_placed_or_folded_and_none_overlap(
        items, dpp, left, width) -> None:
    window = (left, left + width)
    layout = pack_lanes(items, dpp, GEOMETRY, window=window)
    placed = list(layout.placed.values())
    for i, a in enumerate(placed):
        for b in placed[i + 1:]:
            assert not boxes_overlap(a, b)
    assert not set(layout.placed) & set(layout.folded)
    for item in items:
        x0, x1 = item.start / dpp, item.end / dpp
        if x0 <= window[0] - 400 or x1 >= window[1] + 400:
            continue  # near the edges, the marker's and label's sizes decide
        if window[0] <= x0 <= window[1]:
            assert item.row in layout.placed or item.row in layout.folded


def test_panning_into_a_new_window_keeps_what_the_last_one_placed() -> None:
    items = [point(row, "2021-10-19", title=f"Talks {row}") for row in range(3)]
    items += [point(10 + row, "2021-10-21", title=f"Visit {row}") for row in range(6)]
    dpp = 0.05
    x = day_of_date(dt.date(2021, 10, 19)) / dpp
    first = pack_lanes(items, dpp, GEOMETRY, window=(x - 100, x + 500))
    second = pack_lanes(items, dpp, GEOMETRY, window=(x + 20, x + 900), keep=first)
    for row, p in first.placed.items():
        if p.x0 >= x + 20:
            assert second.placed[row].lane == p.lane


def test_the_pack_window_covers_the_screen_and_a_margin_or_everything_when_data_is_small() -> None:
    assert pack_window(1000.0, 800.0, 0.0, 100_000.0, margin=0.5) == (600.0, 2200.0)
    assert pack_window(0.0, 800.0, 100.0, 500.0) is None


def test_spread_lanes_keeps_at_least_the_lanes_it_is_asked_to() -> None:
    geometry = LaneGeometry(max_lanes=10)
    layout = spread_lanes(pack_lanes([point(0, "2021-10-19")], 0.1, geometry), bottom=300,
                          min_lanes=4)
    assert layout.geometry.max_lanes == 4


def test_row_slices_read_the_rows_of_their_ranges_without_copying() -> None:
    rows = (10, 11, 12, 13, 14, 15)
    slices = RowSlices(rows, ((0, 2), (4, 6)))
    assert list(slices) == [10, 11, 14, 15]
    assert len(slices) == 4 and slices[2] == 14 and slices[-1] == 15
    assert 14 in slices and 12 not in slices


# --- a filter picks rows out of the pack order -----------------------------------------------


def test_a_restricted_pack_order_numbers_the_shown_rows_by_their_rank() -> None:
    items = [point(row, f"2024-05-{10 - row:02d}") for row in range(5)]
    cut = restrict_pack_order(pack_order(items), [0, 1, 0, 1, 1], lambda row: items[row])
    assert list(cut.rows) == [2, 1, 0]  # rows 4, 3 and 1 by date, as ranks among 1, 3, 4


def renumbered(item: TimelineItem, row: int) -> TimelineItem:
    return TimelineItem(row, item.start, item.end, item.precision, item.kind, item.title,
                        item.certainty, item.planned, item.context)


@given(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 40), st.booleans(),
                          st.sampled_from(list(Precision)), st.booleans()),
                min_size=0, max_size=40))
@settings(max_examples=80, deadline=None)
def test_restricting_a_pack_order_matches_packing_the_shown_items_afresh(specs) -> None:
    items = [TimelineItem(row, float(start), float(start + 1 + length), precision,
                          EventKind.MEETING, "Talks", context=context)
             for row, (start, length, context, precision, _) in enumerate(specs)]
    shown = [row for row, spec in enumerate(specs) if spec[4]]
    kept = [renumbered(items[row], new) for new, row in enumerate(shown)]
    mask = [spec[4] for spec in specs]
    order = pack_order(items)
    cut = restrict_pack_order(order, mask, kept.__getitem__)
    assert restrict_pack_order(order, mask, kept.__getitem__, pack_gather(order)) == cut
    fresh = pack_order(kept)
    assert list(cut.rows) == list(fresh.rows)
    assert list(cut.starts) == list(fresh.starts)
    assert list(cut.ends) == list(fresh.ends)
    assert cut.runs == fresh.runs
    # A run's longest span may have been hidden: the old one still bounds what is left.
    assert all(old >= new for old, new in zip(cut.spans, fresh.spans, strict=True))


def test_a_restricted_pack_order_packs_only_the_shown_items() -> None:
    items = [point(0, "2024-05-01", "Envoys meet"), point(1, "2024-05-01", "Ministers meet"),
             point(2, "2024-05-02", "Envoys part")]
    kept = [renumbered(items[0], 0), renumbered(items[2], 1)]
    cut = restrict_pack_order(pack_order(items), [True, False, True], kept.__getitem__)
    layout = pack_lanes(cut, 0.05, GEOMETRY)
    assert {p.item.title for p in layout.placed.values()} == {"Envoys meet", "Envoys part"}
    assert set(layout.placed) == {0, 1}


# --- title widths from a table of character widths ------------------------------------------


def test_char_widths_measure_each_character_once() -> None:
    measured: list[str] = []

    def measure(char: str) -> float:
        measured.append(char)
        return 5.0

    widths = CharWidths(measure)
    widths.width("abba")
    widths.width("baa")
    assert sorted(measured) == ["a", "b"]


def test_a_title_estimate_is_never_narrower_than_its_characters_summed() -> None:
    widths = CharWidths(lambda char: 8.0 if char == "W" else 4.0)
    assert widths.width("Wit") >= 16.0
    assert widths.width("") == 0.0


def test_a_label_too_long_for_its_room_is_cut_at_a_character_with_an_ellipsis() -> None:
    widths = CharWidths(lambda char: 4.0)
    assert widths.elide("Envoys meet", 200.0) == "Envoys meet"
    cut = widths.elide("Envoys meet in Vardholm", 40.0)
    assert cut.endswith("\u2026") and "Envoys meet in Vardholm".startswith(cut[:-1])
    assert widths.width(cut) <= 40.0
    longer = "Envoys meet in Vardholm"[: len(cut)] + "\u2026"  # one character more
    assert widths.width(longer) > 40.0
    assert widths.elide("Envoys meet", 3.0) == ""


class _NoShortcut:
    """A lane frontier that never takes the first-pass shortcut: packing lane by lane."""

    def __init__(self, lanes) -> None:
        self.latest = float("inf")

    def placed(self, index, lane, x0) -> None:
        pass


@given(items=st.lists(item_strategy, max_size=60, unique_by=lambda i: i.row),
       dpp=st.floats(0.05, 5.0), pan=st.floats(-300.0, 300.0))
@settings(deadline=None)
def test_the_first_pass_shortcut_places_every_item_where_lane_by_lane_packing_would(
        items, dpp, pan) -> None:
    import viewer.ui.timeline_layout as layout_module

    def pack_and_pan() -> tuple:
        first = pack_lanes(items, dpp, GEOMETRY, window=(pan, pan + 400.0))
        panned = pack_lanes(items, dpp, GEOMETRY, window=(pan + 200.0, pan + 600.0), keep=first)
        return first, panned

    fast, fast_panned = pack_and_pan()
    original = layout_module._Frontier
    layout_module._Frontier = _NoShortcut
    try:
        slow, slow_panned = pack_and_pan()
    finally:
        layout_module._Frontier = original
    assert fast.placed == slow.placed
    assert fast_panned.placed == slow_panned.placed
    assert [c.rows for c in fast.clusters] == [c.rows for c in slow.clusters]


def test_a_windowed_packing_builds_only_the_items_that_can_reach_the_window() -> None:
    # One a day for a year; at 20 px a day the window (world x) sees three weeks of it.
    items = {row: TimelineItem(row, float(row), row + 1.0, Precision.DAY, EventKind.MEETING,
                               "Talks") for row in range(365)}
    built: list[int] = []

    def item(row: int) -> TimelineItem:
        built.append(row)
        return items[row]

    rows = list(items)
    order = pack_order_of(rows, [float(r) for r in rows], [r + 1.0 for r in rows],
                          [0] * len(rows), item)
    geometry = LaneGeometry(max_lanes=4, max_label_width=40.0)
    layout = pack_lanes(order, 0.05, geometry, window=(2000.0, 2400.0))
    assert set(range(100, 120)) <= set(layout.placed)
    # Whatever is built starts within a label's reach (and a marker) of the window.
    reach = geometry.label_gap + geometry.max_label_width + geometry.box_gap + geometry.marker_size
    assert built and all(2000.0 - reach - 20 <= row * 20 <= 2400.0 + geometry.marker_size
                         for row in built)
    assert len(built) < 30


def test_an_item_is_a_marker_only_for_a_single_known_day() -> None:
    assert point(0, "2024-05-01").is_point
    assert not bar(1, "2024-05-01", "2024-05-03", Precision.DAY).is_point
    assert not bar(2, "2024-05-01", "2024-05-31", Precision.MONTH).is_point


@settings(max_examples=80, deadline=None)
@given(items=st.lists(item_strategy, max_size=80, unique_by=lambda i: i.row),
       dpp=st.floats(0.5, 20.0), context=st.sets(st.integers(0, 10_000)))
def test_a_badge_spans_exactly_the_days_of_the_events_it_holds(items, dpp, context) -> None:
    # Context events pack in later passes: a bucket's badge gathers several passes' items.
    items = [TimelineItem(i.row, i.start, i.end, i.precision, i.kind, i.title,
                          context=i.row in context) for i in items]
    by_row = {i.row: i for i in items}
    layout = pack_lanes(items, dpp, GEOMETRY)
    for badge in layout.clusters:
        assert badge.first_day == min(by_row[row].start for row in badge.rows)
        assert badge.last_day == max(by_row[row].end for row in badge.rows)


def test_a_crowded_day_builds_only_the_items_that_get_a_lane() -> None:
    items = {row: point(row, "2021-10-19") for row in range(30)}
    built: list[int] = []

    def item(row: int) -> TimelineItem:
        built.append(row)
        return items[row]

    rows = list(items)
    order = pack_order_of(rows, [items[r].start for r in rows], [items[r].end for r in rows],
                          [0] * len(rows), item)
    layout = pack_lanes(order, 1.0, GEOMETRY)
    assert len(layout.placed) == GEOMETRY.max_lanes
    assert sorted(built) == sorted(layout.placed)
    assert sum(c.count for c in layout.clusters) == 30 - GEOMETRY.max_lanes


def test_a_label_given_just_its_own_width_as_room_is_not_elided():
    widths = CharWidths(lambda ch: 7.3)
    title = "Envoys meet in Vardholm"
    # The room comes back through screen and world x: a hair less than the width itself.
    assert widths.elide(title, widths.width(title) - 1e-9) == title
    assert widths.elide(title, widths.width(title) - 5.0).endswith("\u2026")


def test_day_ticks_name_the_year_on_the_first_tick_and_where_it_turns() -> None:
    tick_list = ticks(fitted("2021-12-27", "2022-01-04"), 1200)
    labels = [t.label for t in tick_list if t.label]
    assert labels[0].endswith(" 2021")
    assert [label for label in labels if label.endswith(("2021", "2022"))] == [
        labels[0], next(label for label in labels if "Jan" in label)]
    assert_labels_apart(tick_list)
