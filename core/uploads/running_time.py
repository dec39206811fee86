"""The running time of an uploaded video or audio file, read by mutagen (pure Python).

MP4 and M4A carry it in their ``moov`` header, MP3 in its frame headers (a Xing/VBRI header or the
bitrate and size); mutagen reads those, never the whole stream. Other formats (WebM) give None:
the teacher types the running time.
"""

from __future__ import annotations

import logging
from typing import IO

from mutagen import MutagenError
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4

logger = logging.getLogger(__name__)

READERS: dict[str, type[MP4] | type[MP3]] = {"mp4": MP4, "m4a": MP4, "mp3": MP3}


def running_time(fileobj: IO[bytes], extension: str) -> float | None:
    """The file's length in seconds, or None when its format is not read here or it says none."""
    reader = READERS.get(extension.lower().lstrip("."))
    if reader is None:
        return None
    fileobj.seek(0)
    try:
        info = reader(fileobj).info
        length = info.length if info is not None else None
    except (MutagenError, ValueError, EOFError) as error:
        logger.info("No running time could be read from a .%s upload: %s", extension, error)
        return None
    finally:
        fileobj.seek(0)
    if not length or length <= 0:
        return None
    return float(length)
