"""Make the hall display's chime, ``resources/sounds/chime.wav``: the two soft notes before each spoken call.

A calm "ding-dong" (E5 then C5, as a doorbell), each note a sine with two quiet overtones under an exponential
decay, so nothing in it is shrill; about 1.1 s, mono, 16-bit, 22,050 Hz (about 48 kB). The speech process plays
it through Qt Multimedia (``QSoundEffect``) before it speaks the call (``kiosk.ui.shell.speech_process``).

    python build/make_chime.py            # rewrite resources/sounds/chime.wav
    python build/make_chime.py --check    # exit 1 if the shipped file is not what this script makes

The output is reproducible: the same numbers make the same bytes.
"""

from __future__ import annotations

import argparse
import io
import math
import struct
import sys
import wave
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHIME = REPO / "resources" / "sounds" / "chime.wav"
RATE = 22_050
PEAK = 0.5  # of full scale: -6 dBFS, so the chime is never louder than the voice after it
NOTES = ((659.26, 0.0), (523.25, 0.42))  # (Hz, start in s): E5, then C5
NOTE_S = 0.7
DECAY_S = 0.28  # the time the note takes to fall to 1/e
ATTACK_S = 0.008  # a soft start: no click
OVERTONES = ((1.0, 1.0), (2.0, 0.22), (3.0, 0.06))  # (multiple of the note, loudness)


def samples() -> list[float]:
    length = int(RATE * (NOTES[-1][1] + NOTE_S))
    out = [0.0] * length
    for frequency, start in NOTES:
        first = int(start * RATE)
        for i in range(int(NOTE_S * RATE)):
            t = i / RATE
            envelope = min(1.0, t / ATTACK_S) * math.exp(-t / DECAY_S)
            tone = sum(level * math.sin(2 * math.pi * frequency * k * t) for k, level in OVERTONES)
            if first + i < length:
                out[first + i] += envelope * tone
    top = max(abs(s) for s in out)
    fade = int(0.03 * RATE)  # the tail ends at silence
    for i in range(fade):
        out[length - 1 - i] *= i / fade
    return [s / top * PEAK for s in out]


def chime_bytes() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(b"".join(struct.pack("<h", round(s * 32767)) for s in samples()))
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="check the shipped file instead of writing it")
    args = parser.parse_args(argv)
    made = chime_bytes()
    if args.check:
        same = CHIME.is_file() and CHIME.read_bytes() == made
        print(f"{CHIME}: {'as made' if same else 'differs from what build/make_chime.py makes'}")
        return 0 if same else 1
    CHIME.parent.mkdir(parents=True, exist_ok=True)
    CHIME.write_bytes(made)
    print(f"wrote {CHIME} ({len(made)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
