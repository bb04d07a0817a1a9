"""HTML pieces built in Python: the report text with its evidence marked, passages, the timeline.

Report text is untrusted. Every piece of it goes through ``markupsafe.escape`` before it is
wrapped in markup here, and templates autoescape everything else, so a report holding
``<script>`` or ``onerror=`` shows as text and never runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from markupsafe import Markup, escape


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    label: str
    kind: str  # css class: killed, injured, place, date, perpetrator, ...


def kind_of(label: str) -> str:
    head = label.split(":", 1)[0].split(" ", 1)[0].strip().lower()
    return "".join(c for c in head if c.isalnum()) or "other"


def highlight(text: str, spans: list[Span]) -> Markup:
    """``text`` with every span in <mark> and its label after it. Overlapping spans are split
    into pieces at every boundary; a piece carries the labels of all spans covering it."""
    spans = [sp for sp in spans if 0 <= sp.start < sp.end <= len(text)]
    cuts = sorted({0, len(text), *(sp.start for sp in spans), *(sp.end for sp in spans)})
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [sp for sp in spans if sp.start <= a and b <= sp.end]
        piece = str(escape(text[a:b]))
        if covering:
            kinds = " ".join(sorted({f"ev-{sp.kind}" for sp in covering}))
            title = "; ".join(dict.fromkeys(sp.label for sp in covering))
            piece = f'<mark class="ev {kinds}" title="{escape(title)}">{piece}</mark>'
        out.append(piece)
        for sp in spans:
            if sp.end == b:
                out.append(f'<span class="lbl lbl-{sp.kind}">{escape(sp.label)}</span>')
    return Markup("".join(out))


def passage(text: str, start: int, end: int, *, width: int = 160) -> Markup:
    """The sentence-ish context of a span with the span marked: what a figure came from."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    for stop in (". ", "\n"):
        cut = text.rfind(stop, left, start)
        if cut != -1:
            left = max(left, cut + len(stop))
        cut = text.find(stop, end, right)
        if cut != -1:
            right = min(right, cut + 1)
    before, quote, after = text[left:start], text[start:end], text[end:right]
    return Markup(f"{'…' if left > 0 else ''}{escape(before)}<mark class=\"ev\">{escape(quote)}</mark>"
                  f"{escape(after)}{'…' if right < len(text) else ''}")


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are shown as links; ``javascript:`` and the like are not."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def scale_top(values: list[int], *, ratio: float = 3.0, most: int = 3) -> int:
    """The top of a bar chart's axis: the largest value, unless the few largest are more than
    ``ratio`` times the next one; then that next one, and the few are drawn clipped. "Few": at most
    ``most``, and at most one in ten of the non-empty periods (one if there are fewer than 20); of
    the cuts that qualify, the lowest. One month with a thousand incidents then leaves the other
    months readable."""
    top = sorted((v for v in values if v > 0), reverse=True)
    axis = top[0] if top else 0
    for i in range(min(most, max(1, len(top) // 10), len(top) - 1)):
        if top[i] > ratio * top[i + 1]:
            axis = top[i + 1]
    return axis


def chart(periods: list[dict], *, width: int = 720, height: int = 180) -> dict:
    """Geometry of the timeline: one bar per period for incidents, a line for the killed. A period
    far above the others is clipped at the axis top and named in ``clipped`` (see ``scale_top``)."""
    if not periods:
        return {"bars": [], "line": "", "width": width, "height": height, "max_n": 0, "max_k": 0, "ticks": [],
                "clipped": []}
    pad_l, pad_b, pad_t = 34, 22, 8
    inner_w, inner_h = width - pad_l - 34, height - pad_b - pad_t
    max_n = scale_top([p["incidents"] for p in periods]) or 1
    max_k = scale_top([p["killed"] for p in periods]) or 1
    step = inner_w / len(periods)
    bars, points, clipped = [], [], []
    for i, p in enumerate(periods):
        h = inner_h * min(p["incidents"], max_n) / max_n
        x = pad_l + i * step
        over = p["incidents"] > max_n
        bars.append({"x": round(x + step * 0.1, 1), "y": round(pad_t + inner_h - h, 1),
                     "w": round(max(step * 0.8, 1), 1), "h": round(h, 1), "clipped": over, **p})
        points.append(f"{x + step / 2:.1f},{pad_t + inner_h - inner_h * min(p['killed'], max_k) / max_k:.1f}")
        if over or p["killed"] > max_k:
            clipped.append({"period": p["period"], "incidents": p["incidents"] if over else None,
                            "killed": p["killed"] if p["killed"] > max_k else None})
    every = max(1, len(periods) // 8)
    ticks = [{"x": round(pad_l + i * step + step / 2, 1), "label": p["period"]}
             for i, p in enumerate(periods) if i % every == 0]
    return {"bars": bars, "line": " ".join(points), "width": width, "height": height, "max_n": max_n,
            "max_k": max_k, "ticks": ticks, "base": pad_t + inner_h, "left": pad_l, "right": width - 34,
            "top": pad_t, "clipped": clipped}
