"""PDFs made for the tests, byte by byte as a PDF writer makes them: pages of text in a standard font (with
their info dictionary and language), and a page that is only a picture, as a scanner makes it."""

from __future__ import annotations


def _escape(text: str) -> bytes:
    return text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _document(objects: list[bytes], info: dict[str, str] | None = None, lang: str | None = None) -> bytes:
    """A PDF of `objects` (numbered from 3: 1 is the catalog, 2 the page tree, filled in by the caller's
    pages), with a cross-reference table the readers can rely on."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    info_number = len(objects) + 1 if info else None
    all_objects = list(objects)
    if info:
        entries = b" ".join(b"/" + key.encode() + b" (" + _escape(value) + b")" for key, value in info.items())
        all_objects.append(b"<< " + entries + b" >>")
    for number, body in enumerate(all_objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(all_objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    trailer = f"<< /Size {len(all_objects) + 1} /Root 1 0 R" + (f" /Info {info_number} 0 R" if info_number else "") + " >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    del lang
    return bytes(out)


def text_pdf(pages: list[list[str]], title: str | None = None, author: str | None = None,
             lang: str | None = None) -> bytes:
    """A PDF whose pages hold these lines of text, top to bottom, in Helvetica."""
    count = len(pages)
    font = 3
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    catalog = b"<< /Type /Catalog /Pages 2 0 R" + (f" /Lang ({lang})".encode() if lang else b"") + b" >>"
    objects = [catalog, f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    for number, lines in enumerate(pages):
        content = bytearray(b"BT /F1 11 Tf 14 TL 56 780 Td\n")
        for line in lines:
            content += b"(" + _escape(line) + b") Tj T*\n"
        content += b"ET"
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {font} 0 R >> >> "
                       f"/Contents {5 + 2 * number} 0 R >>".encode())
        objects.append(f"<< /Length {len(content)} >>\nstream\n".encode() + bytes(content) + b"\nendstream")
    info = {key: value for key, value in (("Title", title), ("Author", author)) if value}
    return _document(objects, info or None)


def scanned_pdf(pages: int = 2) -> bytes:
    """A PDF whose pages are pictures with no text layer, as a scanner without text recognition makes it."""
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(pages))
    pixels = bytes([200, 200, 200, 20, 20, 20] * 8)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
               f"<< /Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceRGB /BitsPerComponent 8 "
               f"/Length {len(pixels)} >>\nstream\n".encode() + pixels + b"\nendstream"]
    for number in range(pages):
        content = b"q 483 0 0 730 56 56 cm /Im1 Do Q"
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 3 0 R >> >> "
                       f"/Contents {5 + 2 * number} 0 R >>".encode())
        objects.append(f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream")
    return _document(objects)
