"""sendPhoto through python-telegram-bot's own Bot: a multipart upload, checked as Telegram does."""

from __future__ import annotations

import io
import struct
import zlib

import httpx
import pytest
import telegram
from PIL import Image
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from bot.emulator import Chat, Emulator
from bot.emulator.photos import image_size


def _png(width: int, height: int) -> bytes:
    """A real PNG written by Pillow, so the emulator reads what image libraries write."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (20, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def _jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _png_header(width: int, height: int) -> bytes:
    """Only the signature and IHDR chunk: enough to claim dimensions Pillow would not make."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + crc


async def test_a_photo_with_a_caption_and_a_keyboard_is_recorded(
    emu: Emulator, bot: telegram.Bot, dm: Chat
) -> None:
    picture = _png(320, 160)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Again", callback_data="again")]])
    sent = await bot.send_photo(
        dm.id, picture, caption="<b>Deliveries</b> per hour", parse_mode="HTML",
        reply_markup=keyboard,
    )  # fmt: skip
    assert sent.text is None and sent.caption == "Deliveries per hour"
    assert [(e.type, e.offset, e.length) for e in sent.caption_entities] == [("bold", 0, 10)]
    [size] = sent.photo
    assert (size.width, size.height, size.file_size) == (320, 160, len(picture))
    recorded = emu.last_message(dm)
    assert recorded is not None and recorded.photo is not None
    assert recorded.photo.data == picture
    assert recorded.caption == "Deliveries per hour"
    assert recorded.raw_text == "<b>Deliveries</b> per hour" and recorded.parse_mode == "HTML"
    assert recorded.callback_data == ["again"]
    summary = recorded.summary()
    assert summary["photo"]["file_size"] == len(picture) and summary["text"] is None


async def test_a_jpeg_and_a_photo_sent_again_by_its_file_id(
    emu: Emulator, bot: telegram.Bot, dm: Chat
) -> None:
    first = await bot.send_photo(dm.id, _jpeg(640, 480))
    assert first.caption is None
    again = await bot.send_photo(dm.id, first.photo[-1].file_id, caption="again")
    assert again.photo[-1].file_unique_id == first.photo[-1].file_unique_id
    assert (again.photo[-1].width, again.photo[-1].height) == (640, 480)
    with pytest.raises(BadRequest, match="Wrong file identifier/http url specified"):
        await bot.send_photo(dm.id, "AgACnot-a-file")
    with pytest.raises(BadRequest, match="Wrong file identifier/http url specified"):
        await bot.send_photo(dm.id, "https://example.kz/chart.png")


@pytest.mark.parametrize(
    ("picture", "reason"),
    [
        (b"GIF89a not a photo", "Image_process_failed"),
        (b"\x89PNG\r\n\x1a\n truncated", "Image_process_failed"),
        (_png_header(1, 100), "Photo_invalid_dimensions"),  # a ratio over 20
        (_png_header(6000, 5000), "Photo_invalid_dimensions"),  # over 10,000 together
        (_png_header(0, 10), "Photo_invalid_dimensions"),
    ],
)
async def test_what_is_not_a_photo_is_refused(
    bot: telegram.Bot, dm: Chat, picture: bytes, reason: str
) -> None:
    with pytest.raises(BadRequest, match=reason):
        await bot.send_photo(dm.id, picture)


async def test_the_caption_is_checked_like_text_with_its_own_limit(
    emu: Emulator, bot: telegram.Bot, dm: Chat
) -> None:
    picture = _png(40, 40)
    await bot.send_photo(dm.id, picture, caption="<i>" + "я" * 1024 + "</i>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(dm.id, picture, caption="😀" * 512 + "a")
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(dm.id, picture, caption="a" * 5000)
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_photo(dm.id, picture, caption="<b>open", parse_mode="HTML")
    blank = await bot.send_photo(dm.id, picture, caption="<b> </b>", parse_mode="HTML")
    assert blank.caption is None


async def test_a_photo_has_no_text_to_edit(bot: telegram.Bot, dm: Chat) -> None:
    sent = await bot.send_photo(dm.id, _png(40, 40), caption="chart")
    with pytest.raises(BadRequest, match="There is no text in the message to edit"):
        await bot.edit_message_text("new", chat_id=dm.id, message_id=sent.message_id)


async def test_no_photo_in_the_request(emu: Emulator, dm: Chat) -> None:
    url = f"{emu.base_url}{emu.token}/sendPhoto"
    async with httpx.AsyncClient() as client:
        answer = await client.post(url, data={"chat_id": str(dm.id), "caption": "x"})
    assert answer.json()["description"] == "Bad Request: there is no photo in the request"


@pytest.mark.parametrize(
    ("data", "size"),
    [
        (_png(3, 2), (3, 2)),
        (_jpeg(17, 9), (17, 9)),
        (b"\xff\xd8\xff\xe0\x00\x02", None),  # a JPEG cut before its frame header
        (b"\xff\xd8\x00\x00\x00\x00\x00\x00\x00\x00", None),
        (b"", None),
    ],
)
def test_image_size_reads_png_and_jpeg_headers(data: bytes, size: tuple[int, int] | None) -> None:
    assert image_size(data) == size
