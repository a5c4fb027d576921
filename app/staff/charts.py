"""Charts of how many people have answered, for newsletters and posters: as SVG (sharp at
any size; drawn by a template) and as PNG (for tools that take only pictures; drawn with
Pillow, which fpdf2 already brings). Both are drawn from one layout, so they match.

Only counts of responses are drawn, never what anyone answered.
"""

import io
from dataclasses import dataclass

from flask import render_template
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis.definitions import DIMENSION_ORDERS
from app.models import Channel, ResponseTally
from app.public.measures import category_label
from app.staff.progress import AREA, NOT_STATED
from app.staff.responses import Filters, filtered_tallies

CHART_BY = ("audience", "area", "channel")
CHANNEL_WORDS = {
    Channel.ONLINE.value: "Online",
    Channel.PAPER.value: "On paper",
    Channel.EVENT.value: "At events",
    Channel.PHONE.value: "By phone",
    Channel.OTHER.value: "Other ways",
}
BY_WORDS = {"audience": "who answered", "area": "where they live", "channel": "how they answered"}

WIDTH, TOP, ROW, BAR = 800, 96, 44, 28
LABEL_RIGHT, BAR_LEFT, BAR_MAX = 250, 262, 440
TEXT, BAR_COLOUR, BACKGROUND = "#0b0c0c", "#1d70b8", "#ffffff"
PNG_SCALE = 2  # twice the pixels, so the picture stays sharp in a printed newsletter


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    title: str
    subtitle: str
    bars: list[Bar]

    @property
    def height(self) -> int:
        return TOP + ROW * len(self.bars) + 20

    @property
    def description(self) -> str:
        return "; ".join(f"{bar.label}: {bar.count}" for bar in self.bars)


def counts_chart(session: Session, filters: Filters, by: str, scope: str) -> Chart:
    """How many responses FILTERS chooses (its theme aside), in groups BY audience, area or
    channel; SCOPE says which survey and year, for the subtitle."""
    counts = _counts(session, filters, by)
    most = max(counts.values(), default=0) or 1
    bars = [
        Bar(label, count, TOP + ROW * row, round(BAR_MAX * count / most))
        for row, (label, count) in enumerate(counts.items())
    ]
    total = sum(counts.values())
    return Chart(f"How many have answered, by {BY_WORDS[by]}", f"{scope}. Total: {total}", bars)


def chart_svg(chart: Chart) -> str:
    return render_template("staff/counts_chart.svg", chart=chart, layout=_layout())


def chart_png(chart: Chart) -> bytes:
    image = Image.new("RGB", (WIDTH * PNG_SCALE, chart.height * PNG_SCALE), BACKGROUND)
    draw = ImageDraw.Draw(image)

    def font(size: int) -> ImageFont.FreeTypeFont:
        return ImageFont.load_default(size=size * PNG_SCALE)

    def at(x: float, y: float) -> tuple[float, float]:
        return x * PNG_SCALE, y * PNG_SCALE

    draw.text(at(20, 40), chart.title, fill=TEXT, font=font(24), anchor="ls")
    draw.text(at(20, 70), chart.subtitle, fill=TEXT, font=font(16), anchor="ls")
    for bar in chart.bars:
        middle = bar.y + BAR / 2
        draw.text(at(LABEL_RIGHT, middle), bar.label, fill=TEXT, font=font(18), anchor="rm")
        if bar.width:
            draw.rectangle([at(BAR_LEFT, bar.y), at(BAR_LEFT + bar.width, bar.y + BAR)], BAR_COLOUR)
        value = at(BAR_LEFT + bar.width + 8, middle)
        draw.text(value, str(bar.count), fill=TEXT, font=font(18), anchor="lm")
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def _layout() -> dict[str, object]:
    return {
        "width": WIDTH,
        "bar_height": BAR,
        "label_right": LABEL_RIGHT,
        "bar_left": BAR_LEFT,
        "text": TEXT,
        "bar": BAR_COLOUR,
        "background": BACKGROUND,
    }


def _counts(session: Session, filters: Filters, by: str) -> dict[str, int]:
    """Counts by label, in the order the measures use, every group shown (0 included),
    added up from the response tallies (app/tallies.py), never from the answers."""
    if by == "channel":
        column, order = ResponseTally.channel, [channel.value for channel in Channel]
        labels = CHANNEL_WORDS
    elif by == AREA:
        column, order = ResponseTally.area, [*DIMENSION_ORDERS[AREA], NOT_STATED]
        labels = {area: category_label(area) for area in order}
    else:
        column, order = ResponseTally.audience, list(DIMENSION_ORDERS["audience"])
        labels = {audience: category_label(audience) for audience in order}
    query = filtered_tallies(
        select(column, func.sum(ResponseTally.responses)).group_by(column), filters
    )
    found: dict[str, int] = dict.fromkeys(order, 0)
    for value, count in session.execute(query):
        found[value] = found.get(value, 0) + count
    return {labels.get(key, key): count for key, count in found.items()}
