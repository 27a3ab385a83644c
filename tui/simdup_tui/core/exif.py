"""The EXIF facts a summary keeps: when the photo was taken and which camera took it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PIL import Image

_EXIF_IFD = 0x8769
_MAKE, _MODEL = 0x010F, 0x0110
_DATE_TIME_ORIGINAL, _OFFSET_TIME_ORIGINAL = 0x9003, 0x9011


def exif_facts(image: Image.Image) -> tuple[int | None, str]:
    """(capture time in ns since the epoch or None, "Make Model" or "") from an open image's EXIF.

    Damaged EXIF never raises: it reads as no capture time and no camera.
    """
    try:
        exif = image.getexif()
        camera = " ".join(
            _exif_text(exif.get(tag)) for tag in (_MAKE, _MODEL) if _exif_text(exif.get(tag))
        )
        sub = exif.get_ifd(_EXIF_IFD)
        taken = _exif_time(sub.get(_DATE_TIME_ORIGINAL), sub.get(_OFFSET_TIME_ORIGINAL))
    except Exception:  # odd EXIF is common; it must never cost the photo its summary
        return None, ""
    return taken, camera[:120]


def _exif_text(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return ""
    return " ".join(value.replace("\x00", " ").split())


def _exif_time(value: object, offset: object) -> int | None:
    """EXIF "YYYY:MM:DD HH:MM:SS" (plus an optional "+HH:MM" offset) in ns since the epoch."""
    text = _exif_text(value)
    try:
        moment = datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    if moment.year < 1900:
        return None
    offset_text = _exif_text(offset)
    if len(offset_text) == 6 and offset_text[0] in "+-" and offset_text[3] == ":":
        try:
            hours, minutes = int(offset_text[1:3]), int(offset_text[4:6])
        except ValueError:
            hours = minutes = 0
        sign = -1 if offset_text[0] == "-" else 1
        zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
        moment = moment.replace(tzinfo=zone)
    try:
        return int(moment.timestamp()) * 1_000_000_000
    except (OverflowError, OSError, ValueError):
        return None
