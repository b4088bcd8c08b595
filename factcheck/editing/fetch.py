"""Fetching a page or a PDF from its address, for `source add URL`: http and https only, within a time
limit and a size limit, following redirects only to http and https."""

from __future__ import annotations

import datetime as dt
import http.client
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import IO, Any

from factcheck import __version__
from factcheck.errors import FactcheckError

SCHEMES = ("http", "https")
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Fetched:
    """What an address gave: its bytes, where it was after redirects, and when."""

    data: bytes
    final_url: str
    fetched_at: str  # UTC, ISO 8601, to the second


def is_address(text: str) -> bool:
    """Whether `text` (an argument where a file is expected) is an address: it has a scheme and a host, or is
    in a scheme factcheck refuses to fetch (which then gets its error, not a "no such file")."""
    parts = urllib.parse.urlsplit(text)
    return bool(parts.scheme) and len(parts.scheme) > 1 and (bool(parts.netloc) or parts.scheme.lower() in
                                                              ("file", "ftp", "data", "javascript", "mailto"))


def fetch(url: str, timeout: float, limit: int) -> Fetched:
    """The bytes at `url`; a FactcheckError naming the address when it is refused, does not answer in time,
    answers with an error, or sends more than `limit` bytes."""
    _check_scheme(url, "")
    request = urllib.request.Request(url, headers={"User-Agent": f"factcheck/{__version__} (source capture)",
                                                   "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.5"})
    opener = urllib.request.build_opener(_Redirects())
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length is not None and length.isdigit() and int(length) > limit:
                raise FactcheckError(f"{url}: the server announces {int(length)} bytes, more than the limit of {limit} "
                                     "(FACTCHECK_MAX_FILE_SIZE, in MiB); nothing was written")
            data = _read_within(response, limit, url)
            final = response.geturl()
    except FactcheckError:
        raise
    except urllib.error.HTTPError as exc:
        raise FactcheckError(f"{url}: the server answered HTTP {exc.code} {exc.reason}; nothing was written") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise FactcheckError(f"{url}: no answer within {timeout:g} s (--timeout); nothing was written") from None
        raise FactcheckError(f"{url}: cannot be fetched ({reason}); nothing was written") from None
    except TimeoutError:
        raise FactcheckError(f"{url}: no answer within {timeout:g} s (--timeout); nothing was written") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise FactcheckError(f"{url}: cannot be fetched ({type(exc).__name__}: {exc}); nothing was written") from None
    at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return Fetched(data, final, at)


def _read_within(response: IO[bytes], limit: int, url: str) -> bytes:
    chunks, size = [], 0
    while chunk := response.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise FactcheckError(f"{url}: more than the limit of {limit} bytes (FACTCHECK_MAX_FILE_SIZE, in MiB); "
                                 "nothing was written")
        chunks.append(chunk)
    return b"".join(chunks)


def _check_scheme(url: str, redirected: str) -> None:
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in SCHEMES:
        where = f" (a redirect from {redirected})" if redirected else ""
        raise FactcheckError(f"{url}{where}: only http and https addresses are fetched, not {scheme or 'this'}:; "
                             "nothing was written")


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Redirects followed only to http and https addresses."""

    def http_error_302(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                       headers: Any) -> Any:
        target = headers.get("location") or headers.get("uri")
        if target:
            _check_scheme(urllib.parse.urljoin(req.full_url, target), req.full_url)
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302
