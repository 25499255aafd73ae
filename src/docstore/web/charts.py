"""Charts drawn on the server as SVG: no JavaScript, no network, readable without styles.

Each function returns markup that is safe to embed as is: every piece of text in it is
escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass
class Bar:
    label: str
    value: int
    href: str | None = None
    note: str = ""


def timeline_svg(bars: Sequence[Bar], *, title: str, width: int = 720, height: int = 180) -> str:
    """Vertical bars over time, one per period, with the first, last and peak labelled."""
    if not bars:
        return '<p class="ds-empty">No dated mentions.</p>'
    left, bottom, top = 40, 28, 12
    plot_w, plot_h = width - left - 8, height - bottom - top
    peak = max(b.value for b in bars) or 1
    step = plot_w / len(bars)
    bar_w = min(max(step * 0.8, 1.0), 48.0)
    parts = [
        f'<svg class="ds-chart ds-timeline" role="img" viewBox="0 0 {width} {height}"'
        f' width="100%" preserveAspectRatio="xMinYMin meet" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}"'
        ' class="ds-axis"/>',
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" class="ds-tick">{peak}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" class="ds-tick">0</text>',
    ]
    for i, bar in enumerate(bars):
        h = plot_h * bar.value / peak
        x = left + i * step + (step - bar_w) / 2
        tip = f"{bar.label}: {bar.value}{(' ' + bar.note) if bar.note else ''}"
        parts.append(
            f'<rect class="ds-bar" x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}"'
            f' height="{h:.1f}"><title>{escape(tip)}</title></rect>'
        )
    labelled = {0, len(bars) - 1, max(range(len(bars)), key=lambda i: bars[i].value)}
    for i in sorted(labelled):
        x = left + i * step + step / 2
        anchor = "start" if i == 0 else "end" if i == len(bars) - 1 else "middle"
        if len(bars) == 1:
            anchor = "middle"
        parts.append(
            f'<text x="{x:.1f}" y="{height - 8}" text-anchor="{anchor}" class="ds-tick">'
            f"{escape(bars[i].label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def ranked_bars_svg(bars: Sequence[Bar], *, title: str, width: int = 420) -> str:
    """Horizontal bars, longest first, each labelled and linked when it has an href."""
    if not bars:
        return '<p class="ds-empty">Nothing mentioned with it.</p>'
    row, label_w, gap = 22, 170, 6
    height = row * len(bars) + gap
    peak = max(b.value for b in bars) or 1
    plot_w = width - label_w - 50
    parts = [
        f'<svg class="ds-chart ds-ranked" role="img" viewBox="0 0 {width} {height}"'
        f' width="100%" preserveAspectRatio="xMinYMin meet" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        y = gap + i * row
        w = max(plot_w * bar.value / peak, 1.0)
        label = bar.label if len(bar.label) <= 26 else bar.label[:25] + "…"
        text = (
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" class="ds-label">'
            f"{escape(label)}</text>"
        )
        if bar.href:
            text = f'<a href="{escape(bar.href)}">{text}</a>'
        tip = f"{bar.label}: {bar.value}{(' ' + bar.note) if bar.note else ''}"
        parts.append(
            f"{text}"
            f'<rect class="ds-bar" x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row - 8}">'
            f"<title>{escape(tip)}</title></rect>"
            f'<text x="{label_w + w + 4:.1f}" y="{y + 13}" class="ds-tick">{bar.value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
