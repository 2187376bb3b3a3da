"""Compressed inputs opened before format detection: gzip files and one-file zip archives.

GDELT and API dumps arrive as ``.json.gz``, ``.export.CSV.zip``; the reader of the file inside
is chosen from the unpacked content, as for any file. A DOCX is a zip too, but it is a format of
its own (see :mod:`helpers.readers.nexisuni`) and is never unpacked here.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from .encoding import UnreadableFile

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"


def _gunzip(data: bytes, limit: int) -> bytes:
    out, rest = [], data
    size = 0
    while rest:  # a .gz may hold several members one after another
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        chunk = d.decompress(rest, limit - size + 1)
        size += len(chunk)
        if size > limit:
            raise UnreadableFile(f"gzip content is over {limit // (1024 * 1024)} MB unpacked")
        if not d.eof:
            raise UnreadableFile("gzip file is truncated (unexpected end of compressed data)")
        out.append(chunk)
        rest = d.unused_data.lstrip(b"\x00")
        if rest and not rest.startswith(GZIP_MAGIC):
            break
    return b"".join(out)


def unpack(name: str, data: bytes, limit: int) -> tuple[bytes, str, list[str]]:
    """``(data, inner name, repairs)``: gzip and one-file zip archives opened, anything else as is.

    Raises :class:`UnreadableFile` for a corrupt archive, an archive of several files, or
    content over ``limit`` bytes unpacked.
    """
    if data.startswith(GZIP_MAGIC):
        try:
            inner = _gunzip(data, limit)
        except zlib.error as err:
            raise UnreadableFile(f"corrupt gzip file ({err})") from None
        stem = name[:-3] if name.lower().endswith(".gz") else name
        return inner, stem, ["gzip unpacked"]
    if data.startswith(ZIP_MAGIC):
        try:
            z = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as err:
            raise UnreadableFile(f"corrupt zip file ({err})") from None
        with z:
            names = [i for i in z.infolist() if not i.is_dir() and not i.filename.startswith(("__MACOSX/", "."))]
            if "word/document.xml" in z.namelist():
                return data, name, []
            if len(names) != 1:
                raise UnreadableFile(f"zip archive holding {len(names)} files: unpack it into the corpus folder "
                                     "(only one-file archives are opened)")
            if names[0].file_size > limit:
                raise UnreadableFile(f"zip member {names[0].filename} is over {limit // (1024 * 1024)} MB unpacked")
            try:
                return z.read(names[0]), names[0].filename, [f"zip archive opened ({names[0].filename})"]
            except (zipfile.BadZipFile, zlib.error, NotImplementedError) as err:
                raise UnreadableFile(f"cannot unpack {names[0].filename} from the zip ({err})") from None
    return data, name, []
