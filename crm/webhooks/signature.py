"""Signing and verifying a delivery: HMAC-SHA256 over "<timestamp>.<raw body>" with the secret
the creator shares with the platform, sent as `X-Fanagent-Signature: sha256=<hex>` beside
`X-Fanagent-Timestamp: <unix seconds>`. A timestamp outside the replay window is refused, so a
captured delivery cannot be sent again later.

Every refusal is an Unauthorized with a reason that is safe to show: it never contains the
secret, the expected signature or whether the creator exists.
"""

import hashlib
import hmac
import re
import secrets

SCHEME = "sha256="
SECRET_PREFIX = "whsec_"  # noqa: S105 (the prefix of every secret, not one)
_SIGNATURE = re.compile(r"^sha256=([0-9a-f]{64})$")
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")
# Compared against when there is no secret, so an unknown creator costs the same time.
_STAND_IN = SECRET_PREFIX + "0" * 43
INVALID_SIGNATURE = "invalid signature"


class Unauthorized(Exception):
    """The delivery is refused; str(error) says why, for the sender."""


def new_secret() -> str:
    """A fresh secret: 256 random bits, URL-safe."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The X-Fanagent-Signature value for this body at this timestamp."""
    return SCHEME + _digest(secret, str(timestamp).encode(), body)


def check_timestamp(header: str | None, now: float, window_s: float) -> int:
    """The timestamp of a delivery, refused when missing, malformed or outside the window."""
    if header is None:
        raise Unauthorized("missing X-Fanagent-Timestamp header")
    if not _TIMESTAMP.match(header):
        raise Unauthorized("X-Fanagent-Timestamp is not a unix time in seconds")
    timestamp = int(header)
    if abs(now - timestamp) > window_s:
        raise Unauthorized(f"X-Fanagent-Timestamp is outside the {window_s:g} s replay window")
    return timestamp


def check_signature_format(header: str | None) -> str:
    """The hex digest of a well-formed signature header."""
    if header is None:
        raise Unauthorized("missing X-Fanagent-Signature header")
    match = _SIGNATURE.match(header.strip().lower())
    if match is None:
        raise Unauthorized("X-Fanagent-Signature must be sha256=<64 hex digits>")
    return match.group(1)


def verify(secret: str | None, timestamp: int, digest: str, body: bytes) -> None:
    """Raises Unauthorized unless `digest` signs this body at this timestamp with `secret`; no
    secret (an unknown creator, a platform not set up) is refused the same way, in the same
    time."""
    expected = _digest(secret or _STAND_IN, str(timestamp).encode(), body)
    matches = hmac.compare_digest(expected, digest)
    if secret is None or not matches:
        raise Unauthorized(INVALID_SIGNATURE)


def _digest(secret: str, timestamp: bytes, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp, hashlib.sha256)
    mac.update(b".")
    mac.update(body)
    return mac.hexdigest()
