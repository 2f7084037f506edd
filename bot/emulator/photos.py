"""What sendPhoto checks: the upload is a real PNG or JPEG of sane dimensions, or the file_id of
a photo already sent; the caption follows the text rules with Telegram's 1,024-unit limit."""

from __future__ import annotations

import hashlib
import struct

from bot.emulator.access import render_text
from bot.emulator.errors import ApiError, bad_request
from bot.emulator.models import Photo
from bot.emulator.params import Params
from bot.emulator.state import EmulatorState
from bot.emulator.text import Entity

MAX_CAPTION_LENGTH = 1024  # UTF-16 code units after entity parsing, as for text
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_SIDES = 10_000  # width + height
MAX_RATIO = 20
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # SOFn, not DHT/JPG/DAC
_EMPTY = bad_request("message text is empty").description


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG or JPEG image, None for anything else."""
    if data.startswith(_PNG) and data[12:16] == b"IHDR" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if not data.startswith(b"\xff\xd8"):
        return None
    at = 2
    while at + 9 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        if marker in _JPEG_FRAMES:
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return int(width), int(height)
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        at += 2 + length
    return None


def uploaded_photo(state: EmulatorState, params: Params) -> Photo:
    """The photo of a sendPhoto call: a new upload, or one sent before named by its file_id."""
    value = params.raw.get("photo")
    if value in (None, ""):
        raise bad_request("there is no photo in the request")
    if isinstance(value, str):
        known = next(
            (m.photo for m in state.messages.values() if m.photo and m.photo.file_id == value),
            None,
        )
        if known is None:  # an http(s) URL too: the emulator never fetches one
            raise bad_request("wrong file identifier/HTTP URL specified")
        return known
    if not isinstance(value, bytes):
        raise bad_request("there is no photo in the request")
    if len(value) > MAX_PHOTO_BYTES:
        raise ApiError(413, "Request Entity Too Large")
    size = image_size(value)
    if size is None:
        raise bad_request("IMAGE_PROCESS_FAILED")
    width, height = size
    if not width or not height or width + height > MAX_SIDES:
        raise bad_request("PHOTO_INVALID_DIMENSIONS")
    if max(width, height) / min(width, height) > MAX_RATIO:
        raise bad_request("PHOTO_INVALID_DIMENSIONS")
    unique = hashlib.sha256(value).hexdigest()[:16]
    return Photo(f"AgAC{state.next_id():06d}{unique}", unique, width, height, value)


def render_caption(params: Params) -> tuple[str | None, list[Entity]]:
    """The caption as shown (None when there is none or it is blank) and its entities."""
    raw = params.string("caption")
    if raw is None or not raw.strip():
        return None, []
    try:
        return render_text(
            params,
            "caption",
            entities_field="caption_entities",
            limit=MAX_CAPTION_LENGTH,
            too_long="message caption is too long",
        )
    except ApiError as error:
        if error.description != _EMPTY:
            raise
        return None, []  # markup around nothing: the photo goes without a caption
