"""The dots canvas's whole-buffer builders against a plain per-cell reference."""
from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler_studio.gui.cook.dots_canvas import (LEVELS, RANK_OF, Canvas, run_minima,
                                                   sprites)


def _reference(canvas: Canvas) -> bytes:
    """The pixels as the first canvas built them: one `min` and one sprite per cell."""
    per_line, per_cell, cell = canvas.per_line, canvas.per_cell, canvas.cell
    rows, ranks, parts = sprites(cell), canvas.ranks, []
    step = per_line * per_cell
    for start in range(0, canvas.count, step):
        line = [min(ranks[i:i + per_cell])
                for i in range(start, min(start + step, canvas.count), per_cell)]
        pad = bytes(cell * 4) * (per_line - len(line))
        for r in range(cell):
            parts.append(b"".join(rows[r][k] for k in line) + pad)
    return b"".join(parts)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=700).map(lambda b: bytes(x % 6 for x in b)),
       st.sampled_from([1, 2, 4, 8, 16, 32, 256]))
def test_run_minima_is_the_least_rank_of_each_run(ranks, per_cell):
    expected = bytes(min(ranks[i:i + per_cell]) for i in range(0, len(ranks), per_cell))
    assert run_minima(ranks, per_cell) == expected


def _categories(count: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.choice([0, 1, 2, 3, 3, 3, 4, 5]) for _ in range(count))


@pytest.mark.parametrize("level", LEVELS)
def test_every_level_builds_the_reference_pixels(qapp, level):
    cell = level if level > 0 else 1
    canvas = Canvas(level, max(1, 203 // cell))
    canvas.extend(_categories(3001, level))
    assert canvas.height == canvas.lines * canvas.cell
    assert bytes(canvas.buffer) == _reference(canvas)
    assert len(canvas.buffer) == canvas.width * 4 * canvas.height


@pytest.mark.parametrize("level", [10, 4, 1, -4, -64])
def test_growing_patching_and_relaying_match_a_fresh_build(qapp, level):
    cell = level if level > 0 else 1
    categories = bytearray(_categories(2500, 7))
    canvas = Canvas(level, max(1, 157 // cell))
    for size in (1, 2, 90, 91, 800, 2500):          # items arrive in uneven batches
        canvas.extend(bytes(categories[canvas.count:size]))
    for position in (0, 5, 1234, 2499):
        categories[position] = 4
        canvas.set_category(position, 4)
    batch = [(p, (p * 7) % 6) for p in range(100, 2500, 3)] + [(101, 4), (100, 3)]
    for position, category in batch:                # several in one run, one item twice
        categories[position] = category
    canvas.set_categories(batch)
    fresh = Canvas(level, canvas.per_line)
    fresh.extend(bytes(categories))
    assert canvas.ranks == fresh.ranks and canvas.buffer == fresh.buffer
    for other in LEVELS:
        relaid = canvas.relaid(other, 61)
        again = Canvas(other, 61)
        again.extend(bytes(categories))
        assert relaid.ranks == bytearray(bytes(categories).translate(RANK_OF))
        assert relaid.buffer == again.buffer and relaid.lines == again.lines


@pytest.mark.parametrize("level", [10, 4, -4])
def test_a_canvas_built_a_slice_at_a_time_matches_one_built_at_once(qapp, level):
    categories = bytearray(_categories(2000, 3))
    old = Canvas(10, 37)
    old.extend(bytes(categories[:1500]))
    canvas = old.relaid(level, 23, build=False)
    assert not canvas.complete and canvas.lines == 0
    slices = 0
    while not canvas.build_more(100):
        slices += 1
        if slices == 2:          # items change and arrive while it is built
            for position in (3, 1499):
                categories[position] = 4
            canvas.set_categories([(3, 4), (1499, 4)])
            canvas.extend(bytes(categories[1500:]))
    assert slices > 3 and canvas.complete
    fresh = Canvas(level, 23)
    fresh.extend(bytes(categories))
    assert canvas.ranks == fresh.ranks and canvas.buffer == fresh.buffer
    assert canvas.lines == fresh.lines
