import hashlib
import hmac

from django.conf import settings


def upn_hash(upn: str) -> str:
    """The keyed hash that stands for a pupil. Keyed, so that nobody holding only the database
    can confirm a guessed UPN; still personal data, since the key holder can."""
    key = settings.PUPIL_KEY_SECRET.encode()
    return hmac.new(key, upn.strip().upper().encode(), hashlib.sha256).hexdigest()
