"""Regenerate demo-lecture.mp4: a 90-second lecture (five slides, a soft synthetic tone that
changes with each slide), small enough to commit (~300 KB), with ffmpeg.

    apt-get install ffmpeg   # Debian's package; only needed to regenerate the file
    .venv/bin/python sessions_app/resources/demo_data/make_demo_lecture.py

The slides and their timing come from lecture.py, which also gives the demo its captions and
chapters. The file is committed, so `seed_demo` needs no ffmpeg.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lecture import DURATION_SECONDS, SLIDES  # noqa: E402 - run as a script

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
PITCHES = [262, 294, 330, 349, 392]  # C D E F G: one note a slide


def _text(value: str) -> str:
    """drawtext's own escaping (inside a single-quoted filter argument)."""
    return (
        value.replace("\\", "\\\\").replace("'", "\u2019").replace(":", "\\:").replace("%", "\\%")
    )


def video_filter() -> str:
    parts = []
    for i, (start, heading, points, _said) in enumerate(SLIDES):
        end = SLIDES[i + 1][0] if i + 1 < len(SLIDES) else DURATION_SECONDS
        when = f"enable='between(t,{start},{end - 0.001})'"
        parts.append(
            f"drawtext=fontfile={BOLD}:text='{_text(heading)}':x=24:y=28:fontsize=26:"
            f"fontcolor=white:{when}"
        )
        for n, point in enumerate(points):
            parts.append(
                f"drawtext=fontfile={FONT}:text='\u2022 {_text(point)}':x=36:y={86 + n * 34}:"
                f"fontsize=20:fontcolor=0xe8f1f2:{when}"
            )
        parts.append(
            f"drawtext=fontfile={FONT}:text='Peer Teaching Society \u00b7 slide {i + 1} of "
            f"{len(SLIDES)}':x=24:y=h-30:fontsize=14:fontcolor=0xffbf47:{when}"
        )
    return ",".join(parts)


def audio_expression() -> str:
    """A quiet tone whose pitch follows the slides, fading in and out each second."""
    pitch = str(PITCHES[-1])
    for i in range(len(SLIDES) - 1, 0, -1):
        pitch = f"if(lt(t,{SLIDES[i][0]}),{PITCHES[i - 1]},{pitch})"
    return f"0.08*sin(2*PI*({pitch})*t)*(0.6+0.4*sin(2*PI*t/2))"


def main() -> int:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        print("make_demo_lecture.py needs ffmpeg (Debian: apt-get install ffmpeg)")
        return 2
    out = HERE / "demo-lecture.mp4"
    command = [
        ffmpeg, "-y", "-hide_banner", "-loglevel", "error",
        "-f", "lavfi", "-i", f"color=c=0x0b5563:s=480x270:r=5:d={DURATION_SECONDS}",
        "-f", "lavfi", "-i", f"aevalsrc='{audio_expression()}':s=22050:d={DURATION_SECONDS}",
        "-vf", video_filter(),
        "-c:v", "libx264", "-preset", "veryslow", "-crf", "30", "-pix_fmt", "yuv420p",
        "-g", "50", "-tune", "stillimage",
        "-c:a", "aac", "-b:a", "24k", "-ac", "1",
        "-movflags", "+faststart", "-shortest",
        str(out),
    ]  # fmt: skip
    subprocess.run(command, check=True)
    print(f"wrote {out} ({out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
