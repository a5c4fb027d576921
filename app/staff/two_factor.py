"""The second factor: a code from an authenticator app (TOTP, RFC 6238) or a single-use
recovery code, required of the officer and safeguarding roles, open to the forum.

The app's secret is stored encrypted with a key derived from SECRET_KEY, so a copy of
the database alone (a backup, say) does not give it away, and it is shown only while
being set up. Each code works once: the time step of the last code used is stored, and
only a later step is accepted. Recovery codes are stored as hashes and used up atomically.
"""

import base64
import hashlib
import hmac
import secrets

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from markupsafe import Markup
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from app.audit import record
from app.db import utcnow
from app.models import RecoveryCode, Role, TwoFactor, User

REQUIRED_ROLES = frozenset({Role.OFFICER.value, Role.SAFEGUARDING.value})
RECOVERY_CODE_COUNT = 10
# Codes from the step before and after are accepted too: a phone's clock may be a little out.
DRIFT_STEPS = 1
# No letters or digits that look alike (0 O, 1 I L), as the respondents' codes.
RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECOVERY_GROUPS, RECOVERY_GROUP_LENGTH = 4, 4  # about 79 bits, beyond brute force offline


def required_for(user: User) -> bool:
    return user.role in REQUIRED_ROLES


def confirmed_for(session: Session, user: User) -> TwoFactor | None:
    """USER's authenticator app, if they have set one up."""
    return session.scalar(
        select(TwoFactor).where(TwoFactor.user_id == user.id, TwoFactor.confirmed_at.is_not(None))
    )


def secret_to_set_up(session: Session, user: User) -> str:
    """The secret USER is setting up (the same one until they confirm it, so the QR code
    they scanned keeps working when the page is reloaded). Not for a confirmed app."""
    row = session.get(TwoFactor, user.id)
    if row is None:
        row = TwoFactor(user_id=user.id, secret="")
        session.add(row)
    if row.confirmed_at is not None:
        raise ValueError(f"user {user.id} has already set up two-factor sign-in")
    secret = unseal(row.secret)
    if secret is None:  # new, or sealed under an earlier SECRET_KEY
        secret = pyotp.random_base32()
        row.secret = seal(secret)
    session.flush()
    return secret


def setup_uri(secret: str, user: User) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["SERVICE_NAME"]
    )


def qr_code_svg(uri: str) -> Markup:
    """URI as an inline SVG QR code (no script, no external image)."""
    return Markup(segno.make(uri, error="m").svg_inline(scale=4, dark="#0b0c0c", light="#ffffff"))


def confirm(session: Session, user: User, code: str) -> list[str] | None:
    """Finish setting up with a code from the app: the new recovery codes (shown once,
    stored hashed), or None if the code is wrong."""
    row = session.get(TwoFactor, user.id)
    if row is None or row.confirmed_at is not None or not _use_totp(session, row, code):
        return None
    row.confirmed_at = utcnow()
    record(session, user, "staff.two_factor_set_up", f"user:{user.id}")
    return new_recovery_codes(session, user)


def check_code(session: Session, user: User, code: str) -> str | None:
    """Whether CODE signs USER in: "app" for a current code from their app, "recovery" for
    an unused recovery code (now used up), None otherwise. Does not commit."""
    row = confirmed_for(session, user)
    if row is None:
        return None
    if _use_totp(session, row, code):
        return "app"
    used = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    ).rowcount
    return "recovery" if used == 1 else None


def renew_recovery_codes(session: Session, user: User, code: str) -> list[str] | None:
    """New recovery codes for USER in place of the old ones (some used, or the paper lost),
    given a current code from their app, or None if the code is wrong. A recovery code
    cannot renew them: whoever found one could make the owner's other codes useless.
    Audited; does not commit."""
    row = confirmed_for(session, user)
    if row is None or not _use_totp(session, row, code):
        return None
    record(session, user, "staff.recovery_codes_renewed", f"user:{user.id}")
    return new_recovery_codes(session, user)


def recovery_codes_left(session: Session, user: User) -> int:
    return session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def new_recovery_codes(session: Session, user: User) -> list[str]:
    """Replace USER's recovery codes with RECOVERY_CODE_COUNT new ones, returned to show once."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "-".join(_random_group() for _ in range(RECOVERY_GROUPS))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(c)) for c in codes)
    return codes


def reset_two_factor(session: Session, user: User, by: User | None = None) -> None:
    """Remove USER's authenticator app and recovery codes (they lost their phone): they set
    up a new one at their next sign-in if their role needs one. Audited; does not commit."""
    session.execute(delete(TwoFactor).where(TwoFactor.user_id == user.id))
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record(session, by, "staff.two_factor_reset", f"user:{user.id}")


def seal(secret: str, secret_key: str | None = None) -> str:
    """SECRET encrypted for storing (with the app's SECRET_KEY unless SECRET_KEY is given)."""
    return _cipher(secret_key).encrypt(secret.encode()).decode()


def unseal(token: str, secret_key: str | None = None) -> str | None:
    """The secret SEAL stored, or None if it cannot be read (SECRET_KEY has changed)."""
    try:
        return _cipher(secret_key).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def _use_totp(session: Session, row: TwoFactor, code: str) -> bool:
    """Whether CODE is ROW's app's code for a time step near now that is later than the
    last one used; if so that step is stored, in one UPDATE, so two requests racing with
    the same code cannot both succeed."""
    code = "".join(code.split())
    secret = unseal(row.secret)
    if secret is None or len(code) != 6 or not code.isascii() or not code.isdigit():
        return False
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(utcnow())
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            claimed = session.execute(
                update(TwoFactor)
                .where(
                    TwoFactor.user_id == row.user_id,
                    or_(TwoFactor.last_step.is_(None), TwoFactor.last_step < step),
                )
                .values(last_step=step)
                .execution_options(synchronize_session=False)
            ).rowcount
            session.refresh(row)
            return claimed == 1
    return False


def _random_group() -> str:
    return "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP_LENGTH))


def _recovery_hash(code: str) -> str:
    """Codes are compared without case, spaces or hyphens, as people type them."""
    normal = "".join(character for character in code.upper() if character.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


def _cipher(secret_key: str | None) -> Fernet:
    key = HKDF(algorithm=SHA256(), length=32, salt=None, info=b"two-factor secrets").derive(
        (secret_key or current_app.config["SECRET_KEY"]).encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))
