"""Password-protected (AES-256) ZIP archives for everything that leaves PCM with personal data.

7-Zip, WinZip, macOS Archive Utility (via Keka/The Unarchiver) and `7z x` open them; the
password is never stored by PCM.
"""

from __future__ import annotations

import io

import pyzipper

MIN_PASSWORD_LENGTH = 12


def encrypted_zip(files: dict[str, bytes], password: str) -> bytes:
    """A ZIP holding FILES (name → content), each encrypted with AES-256 under PASSWORD."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(
        buffer, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(password.encode("utf-8"))
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def read_encrypted_zip(content: bytes, password: str) -> dict[str, bytes]:
    """The files of an archive made by `encrypted_zip` (for tests and the command line)."""
    with pyzipper.AESZipFile(io.BytesIO(content)) as archive:
        archive.setpassword(password.encode("utf-8"))
        return {name: archive.read(name) for name in archive.namelist()}
