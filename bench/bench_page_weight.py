"""The weight of a question page, as a child's phone fetches it: first visit (HTML, CSS and
JavaScript, compressed) and a later page once the assets are cached. No web fonts exist to
count. Targets (issue 3): at most 60 KB compressed on first load, at most 15 KB cached.

Run from the repository root: python bench/bench_page_weight.py
"""

import gzip
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.orm import Session

from app import create_app, migrations
from app.config import TestConfig
from app.db import make_engine
from app.surveys.files import read_survey_files
from app.surveys.versions import store_surveys

FIRST_LOAD_LIMIT = 60 * 1024
CACHED_LIMIT = 15 * 1024
# Issue 11: no heavier than the first load measured when it was written.
ISSUE_11_FIRST_LOAD = 31.4 * 1024
# The baseline in the same run: GOV.UK Frontend's own stylesheet and script, which any
# GOV.UK page pays on its first load.
FRONTEND = Path(__file__).resolve().parent.parent / "node_modules/govuk-frontend/dist/govuk"


def compressed(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6))


def page_sizes() -> dict[str, int]:
    """The compressed size of a question page's HTML and of each asset it loads, by name."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        migrations.upgrade(make_engine(url))
        app = create_app(type("Config", (TestConfig,), {"DATABASE_URL": url}))
        with Session(app.extensions["db_engine"]) as session:
            store_surveys(session, read_survey_files(app.config["SURVEYS_DIR"]))
            session.commit()
        client = app.test_client()
        start = client.get("/s/children").get_data()
        token = re.search(rb'name="csrf_token" value="([^"]+)"', start).group(1).decode()
        question = client.get(client.post("/s/children/start", data={"csrf_token": token}).location)
        html = question.get_data()
        assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
        # app.js imports GOV.UK Frontend's module, which the browser then fetches too.
        assets.append(b"/static/govuk/govuk-frontend.min.js")
        sizes = {"question page HTML": compressed(html)}
        for asset in dict.fromkeys(assets):
            with client.get(asset.decode()) as response:
                sizes[asset.decode()] = compressed(response.get_data())
    return sizes


def main() -> int:
    sizes = page_sizes()
    first_load = sum(sizes.values())
    cached = sizes["question page HTML"]
    for name, size in sizes.items():
        print(f"  {name:45} {size / 1024:6.1f} KB gzip")
    print(f"first load: {first_load / 1024:.1f} KB (target at most {FIRST_LOAD_LIMIT // 1024} KB)")
    print(f"assets cached: {cached / 1024:.1f} KB (target at most {CACHED_LIMIT // 1024} KB)")
    ok = first_load <= FIRST_LOAD_LIMIT and cached <= CACHED_LIMIT
    floor = sum(
        compressed((FRONTEND / name).read_bytes())
        for name in ("govuk-frontend.min.css", "govuk-frontend.min.js")
    )
    print(
        f"baseline, GOV.UK Frontend's CSS and JS alone: {floor / 1024:.1f} KB gzip; first load "
        f"/ baseline {first_load / floor:.2f}x"
    )
    within = "met" if first_load <= ISSUE_11_FIRST_LOAD else "MISSED"
    print(f"issue 11: first load at most {ISSUE_11_FIRST_LOAD / 1024:.1f} KB: {within}")
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
