"""Downloading a citizen's evidence file from Telegram (getFile, then the file URL)."""

from __future__ import annotations

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from harmline.services.screenshots import FileUnavailable


async def download(bot: Bot, file_id: str, max_bytes: int) -> bytes:
    """The file's bytes; :class:`FileUnavailable` (``retry`` when trying later may help) if
    Telegram cannot give it or it is larger than ``max_bytes``."""
    try:
        file = await bot.get_file(file_id)
        if file.file_size is not None and file.file_size > max_bytes:
            raise FileUnavailable(f"{file.file_size} bytes is more than the {max_bytes} allowed", retry=False)
        return bytes(await file.download_as_bytearray())
    except (BadRequest, Forbidden) as error:  # an unknown file id, a file over the Bot API's 20 MB
        raise FileUnavailable(error.message, retry=False) from None
    except (RetryAfter, TimedOut, NetworkError) as error:  # RetryAfter and TimedOut are NetworkErrors
        raise FileUnavailable(error.message, retry=True) from None
