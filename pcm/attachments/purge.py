"""The emergency purge's part for attachments: destroy every stored file.

Called by the emergency purge through pcm.core.discovery.app_modules("purge"). The files are
already unreadable once the data keys are destroyed; this also removes the ciphertext. The
database rows stay (kind, type, size, dates), their titles unreadable.
"""

from __future__ import annotations

from pcm.attachments import storage


def purge() -> int:
    """Overwrite and remove every file in the attachment directory; the number destroyed."""
    return storage.destroy_everything()
