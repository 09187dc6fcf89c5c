"""The upload handler: uploaded files stay in memory, never in a plaintext temporary file.

Django's default handlers write any upload above 2.5 MB to a temporary file on disk, in clear,
before PCM can encrypt it. This handler (the only one, settings.FILE_UPLOAD_HANDLERS) keeps each
file in memory up to the attachment limit; past the limit it keeps counting but drops the bytes,
so the form can still say "This file is 14.2 MB; the limit is 10 MB" without holding 14 MB.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers

from pcm.attachments.rules import max_bytes


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keeps up to the attachment limit of each file in memory; counts, drops the rest."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = BytesIO()
        self.kept = 0
        self.limit = max_bytes()
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        room = self.limit - self.kept
        if room > 0:
            piece = raw_data[:room]
            self.buffer.write(piece)
            self.kept += len(piece)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        # SIZE is what arrived, even past the limit: the checks refuse it by that size.
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
