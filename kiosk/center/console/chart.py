"""A terminal's last 24 hours as an SVG drawn on the server (no chart library in the browser): a band of online
and offline time along the top, the outbox backlog as a line, faults as a red stretch below the band. Every point of
``kiosk.center.history`` is a 5-minute bucket."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from markupsafe import Markup, escape

from kiosk.center.console.i18n import translate
from kiosk.center.history import BUCKET_S, HistoryPoint

WIDTH: Final = 720
HEIGHT: Final = 192
LEFT: Final = 44
RIGHT: Final = 12
BAND_TOP: Final = 8
BAND_HEIGHT: Final = 14
MARKS_Y: Final = 30
PLOT_TOP: Final = 40
PLOT_BOTTOM: Final = 146
ONLINE: Final = "#2da44e"
OFFLINE: Final = "#afb8c1"
BACKLOG: Final = "#0b57d0"
FAULT: Final = "#b3261e"


def history_svg(points: Sequence[HistoryPoint], now: float, hours: int, language: str) -> Markup:
    """The chart of ``points`` (oldest first) over the ``hours`` before ``now``."""
    start = now - hours * 3600
    plot_width = WIDTH - LEFT - RIGHT

    def x(unix: float) -> float:
        return LEFT + max(0.0, min(1.0, (unix - start) / (hours * 3600))) * plot_width

    def label(text: str, **values: object) -> str:
        return str(escape(translate(text, language, **values)))

    title = label("最近 {hours} 小时：在线与离线、待上传记录、故障", hours=hours)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{title}</title>',
        f'<rect x="{LEFT}" y="{BAND_TOP}" width="{plot_width}" height="{BAND_HEIGHT}" fill="#f6f8fa"/>',
    ]
    # The band: runs of online and offline buckets.
    run_start: float | None = None
    run_online = False
    for index, point in enumerate(points):
        if run_start is None:
            run_start, run_online = point.at_unix, point.online
        following = points[index + 1] if index + 1 < len(points) else None
        if following is None or following.online != run_online:
            end = point.at_unix + BUCKET_S
            left, right = x(run_start), x(end)
            colour = ONLINE if run_online else OFFLINE
            parts.append(
                f'<rect x="{left:.1f}" y="{BAND_TOP}" width="{max(right - left, 0.5):.1f}" height="{BAND_HEIGHT}" '
                f'fill="{colour}"><title>{label("在线") if run_online else label("离线")}</title></rect>'
            )
            run_start = None
    # Faults: a red stretch under the band for each bucket whose heartbeat reported any.
    for point in points:
        if point.faults:
            left, right = x(point.at_unix), x(point.at_unix + BUCKET_S)
            parts.append(
                f'<rect x="{left:.1f}" y="{MARKS_Y - 5}" width="{max(right - left, 1.5):.1f}" height="5" '
                f'fill="{FAULT}"><title>{label("{n} 个故障", n=point.faults)}</title></rect>'
            )
    # Backlog: a line over the buckets with a heartbeat, broken where there was none.
    highest = max((p.outbox_backlog or 0 for p in points if p.online), default=0)
    scale = max(highest, 10)
    segments: list[list[str]] = [[]]
    for point in points:
        if not point.online or point.outbox_backlog is None:
            if segments[-1]:
                segments.append([])
            continue
        y = PLOT_BOTTOM - point.outbox_backlog / scale * (PLOT_BOTTOM - PLOT_TOP)
        segments[-1].append(f"{x(point.at_unix + BUCKET_S / 2):.1f},{y:.1f}")
    for segment in segments:
        if len(segment) == 1:
            cx, cy = segment[0].split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="2" fill="{BACKLOG}"/>')
        elif segment:
            parts.append(
                f'<polyline points="{" ".join(segment)}" fill="none" stroke="{BACKLOG}" stroke-width="1.5"/>'
            )
    # Axes: the backlog's scale on the left, hours along the bottom.
    parts.append(
        f'<line x1="{LEFT}" y1="{PLOT_BOTTOM}" x2="{WIDTH - RIGHT}" y2="{PLOT_BOTTOM}" stroke="#d0d7de"/>'
        f'<line x1="{LEFT}" y1="{PLOT_TOP}" x2="{WIDTH - RIGHT}" y2="{PLOT_TOP}" stroke="#eaeef2"/>'
        f'<text x="{LEFT - 4}" y="{PLOT_TOP + 4}" text-anchor="end">{scale}</text>'
        f'<text x="{LEFT - 4}" y="{PLOT_BOTTOM + 4}" text-anchor="end">0</text>'
    )
    step = 6 if hours >= 12 else 1
    for back in range(hours, -1, -step):
        where = x(now - back * 3600)
        text = label("现在") if back == 0 else label("{n} 小时前", n=back)
        anchor = "end" if back == 0 else "start" if back == hours else "middle"
        parts.append(f'<text x="{where:.1f}" y="{PLOT_BOTTOM + 16}" text-anchor="{anchor}">{text}</text>')
    legend_y = HEIGHT - 2
    parts.append(
        f'<rect x="{LEFT}" y="{legend_y - 9}" width="10" height="10" fill="{ONLINE}"/>'
        f'<text x="{LEFT + 14}" y="{legend_y}">{label("在线")}</text>'
        f'<rect x="{LEFT + 80}" y="{legend_y - 9}" width="10" height="10" fill="{OFFLINE}"/>'
        f'<text x="{LEFT + 94}" y="{legend_y}">{label("离线")}</text>'
        f'<line x1="{LEFT + 160}" y1="{legend_y - 4}" x2="{LEFT + 176}" y2="{legend_y - 4}" stroke="{BACKLOG}" '
        f'stroke-width="2"/><text x="{LEFT + 180}" y="{legend_y}">{label("待上传记录")}</text>'
        f'<rect x="{LEFT + 296}" y="{legend_y - 7}" width="10" height="5" fill="{FAULT}"/>'
        f'<text x="{LEFT + 308}" y="{legend_y}">{label("故障")}</text>'
    )
    if not points:
        parts.append(
            f'<text x="{WIDTH / 2:.0f}" y="{(PLOT_TOP + PLOT_BOTTOM) / 2:.0f}" text-anchor="middle">'
            f"{label('这段时间没有心跳记录')}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
