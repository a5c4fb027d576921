"""Issue 11: a question page's first load (HTML, CSS and JavaScript, compressed) is no
heavier than 31.4 KB, measured as bench/bench_page_weight.py measures it."""

from bench.bench_page_weight import ISSUE_11_FIRST_LOAD, page_sizes


def test_a_question_pages_first_load_is_at_most_31_4_kb_compressed():
    sizes = page_sizes()
    assert {"question page HTML", "/static/main.css", "/static/app.js"} <= set(sizes)
    assert sum(sizes.values()) <= ISSUE_11_FIRST_LOAD, sizes
