"""Accounts of citizens and businesses: the only code that creates, verifies and changes them.

People register with an e-mail address or a Vietnamese mobile number and a password; a 6-digit
code sent there proves they hold it, and until then the account is inactive (it cannot log in
or submit anything). Each function runs in one transaction and writes its audit event in it;
messages leave only after the commit (``transaction.on_commit``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from egov.core.audit import record_event
from egov.core.models import User
from egov.core.ratelimit import hit
from egov.core.text import normalize_text
from egov.core.validators import validate_citizen_id

from .models.accounts import CodeChannel, CodePurpose, Profile, VerificationCode, validate_tax_code

logger = logging.getLogger("egov.portal.accounts")

PORTAL_KINDS = (User.Kind.CITIZEN, User.Kind.BUSINESS)
CODE_TTL = dt.timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
_CODE_KEY_SALT = "egov.portal.accounts.VerificationCode"
# Vietnamese mobile numbers: 10 digits, 03x/05x/07x/08x/09x (after the 2018 renumbering).
_MOBILE_RE = re.compile(r"^0[35789]\d{8}$")


# --- identifiers ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Identifier:
    """An e-mail address or a mobile number, as typed by a person and normalised."""

    channel: str  # CodeChannel.EMAIL or CodeChannel.SMS
    value: str

    @property
    def is_email(self) -> bool:
        return self.channel == CodeChannel.EMAIL


def normalize_phone(value: str) -> str:
    """``+84 912 345 678``, ``84912345678``, ``0912.345.678`` → ``0912345678``.

    Raises ``ValidationError`` when the result is not a Vietnamese mobile number.
    """
    raw = re.sub(r"[\s.\-()]", "", value or "")
    if raw.startswith("+84"):
        raw = "0" + raw[3:]
    elif raw.startswith("84") and len(raw) == 11:
        raw = "0" + raw[2:]
    if not _MOBILE_RE.match(raw):
        raise ValidationError(
            _(
                "“%(value)s” is not a Vietnamese mobile number: write 10 digits starting "
                "with 0 (for example 0912345678) or +84 followed by 9 digits."
            ),
            code="invalid_phone",
            params={"value": value},
        )
    return raw


def parse_identifier(value: str) -> Identifier:
    """Tell an e-mail address from a phone number and normalise it (e-mail in lower case)."""
    value = normalize_text(value)
    if not value:
        raise ValidationError(
            _("Enter your e-mail address or mobile phone number."), code="required"
        )
    if "@" in value:
        email = value.lower()
        try:
            validate_email(email)
            if len(email) > 150:  # it becomes the user name
                raise ValidationError("too long")
        except ValidationError:
            raise ValidationError(
                _("“%(value)s” is not a valid e-mail address."),
                code="invalid_email",
                params={"value": value},
            ) from None
        return Identifier(CodeChannel.EMAIL, email)
    return Identifier(CodeChannel.SMS, normalize_phone(value))


def _accounts():
    return User.objects.filter(kind__in=PORTAL_KINDS)


def find_account(identifier: Identifier) -> User | None:
    """The citizen or business account that registered ``identifier``, if any."""
    if identifier.is_email:
        return _accounts().filter(email__iexact=identifier.value).first()
    return _accounts().filter(phone=identifier.value).first()


def identifier_taken(identifier: Identifier) -> bool:
    """True when an account already uses this address (or it is someone's user name)."""
    return (
        find_account(identifier) is not None
        or User.objects.filter(username__iexact=identifier.value).exists()
    )


def _duplicate_error(identifier: Identifier) -> ValidationError:
    message = (
        _("An account with this e-mail address already exists: log in or reset the password.")
        if identifier.is_email
        else _("An account with this phone number already exists: log in or reset the password.")
    )
    return ValidationError({"identifier": message}, code="duplicate")


def get_profile(user: User) -> Profile:
    """The portal profile of ``user`` (created empty for accounts made elsewhere)."""
    try:
        return user.portal_profile
    except Profile.DoesNotExist:
        profile, _created = Profile.objects.get_or_create(user=user)
        return profile


def is_verified(user) -> bool:
    """May this account act on the portal (submit dossiers)? Active and verified."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.kind not in PORTAL_KINDS:
        return False
    profile = Profile.objects.filter(user=user).only("verified_at").first()
    return bool(profile and profile.verified_at)


# --- one-time codes -------------------------------------------------------------------------------
def _hash_code(salt: str, code: str) -> str:
    digest = salted_hmac(_CODE_KEY_SALT, f"{salt}:{code}", algorithm="sha256").hexdigest()
    return f"{salt}${digest}"


def _code_matches(stored: str, code: str) -> bool:
    salt, _sep, _digest = stored.partition("$")
    return constant_time_compare(stored, _hash_code(salt, code))


def _check_send_rate(destination: str) -> None:
    """At most one code a minute and a few an hour to one address (SMS cost, harassment)."""
    per_minute = getattr(settings, "EGOV_ACCOUNT_CODE_INTERVAL_SECONDS", 60)
    per_hour = getattr(settings, "EGOV_ACCOUNT_CODES_PER_HOUR", 5)
    key = hashlib.sha256(destination.encode()).hexdigest()[:32]
    if not hit(f"account-code:{key}", 1, per_minute):
        raise ValidationError(
            _("A code was sent to this address a moment ago. Wait a minute before asking again."),
            code="too_soon",
        )
    if not hit(f"account-code-hour:{key}", per_hour, 3600):
        raise ValidationError(
            _("Too many codes were sent to this address. Try again in an hour."),
            code="too_many",
        )


def _deliver(channel: str, destination: str, subject: str, text: str) -> None:
    """Send after the commit; a failure is logged (the person can ask for the code again)."""

    def send():
        try:
            if channel == CodeChannel.EMAIL:
                send_mail(subject, text, None, [destination])
            else:
                from egov.notifications.sms import send_sms

                send_sms(destination, text)
        except Exception:
            logger.exception("could not send an account message by %s", channel)

    transaction.on_commit(send)


def _issue_code(
    user: User, purpose: str, identifier: Identifier, *, rate_checked: bool = False
) -> VerificationCode:
    """Create a code for ``user``, close the older ones and queue the message (in the caller's
    transaction)."""
    if not rate_checked:
        _check_send_rate(identifier.value)
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    VerificationCode.objects.filter(user=user, purpose=purpose, closed_at__isnull=True).update(
        closed_at=now
    )
    row = VerificationCode.objects.create(
        user=user,
        purpose=purpose,
        channel=identifier.channel,
        destination=identifier.value,
        code_hash=_hash_code(secrets.token_hex(8), code),
        created_at=now,
        expires_at=now + CODE_TTL,
    )
    minutes = int(CODE_TTL.total_seconds() // 60)
    if purpose == CodePurpose.VERIFY:
        subject = _("Your account verification code")
        text = _(
            "%(code)s is your code to verify your account on the public service portal of "
            "%(province)s. It is valid for %(minutes)s minutes. Do not give it to anyone."
        )
    else:
        subject = _("Your password reset code")
        text = _(
            "%(code)s is your code to reset your password on the public service portal of "
            "%(province)s. It is valid for %(minutes)s minutes. Do not give it to anyone."
        )
    text %= {"code": code, "province": settings.EGOV_PROVINCE_NAME, "minutes": minutes}
    _deliver(identifier.channel, identifier.value, subject, text)
    return row


def _check_code(user: User, purpose: str, code: str) -> VerificationCode:
    """The open code of ``user`` for ``purpose`` if ``code`` matches it.

    A wrong code counts against the code even though the request is refused (the count is
    committed before the refusal): after five, the code is dead and a new one is needed.
    """
    code = (code or "").strip()
    with transaction.atomic():
        row = (
            VerificationCode.objects.select_for_update()
            .filter(user=user, purpose=purpose, closed_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if row is None:
            raise ValidationError(
                {"code": _("There is no code waiting for this account: ask for a new code.")},
                code="no_code",
            )
        if row.attempts >= CODE_MAX_ATTEMPTS:
            raise ValidationError(
                {"code": _("This code was entered wrongly too many times: ask for a new code.")},
                code="code_locked",
            )
        if row.expires_at <= timezone.now():
            raise ValidationError(
                {"code": _("This code has expired: ask for a new code.")}, code="code_expired"
            )
        if not (code.isdigit() and len(code) == 6 and _code_matches(row.code_hash, code)):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            left = CODE_MAX_ATTEMPTS - row.attempts
            wrong = (
                _("The code is not correct. Attempts left: %(left)s.") % {"left": left}
                if left
                else _("The code is not correct, and it was the last attempt: ask for a new code.")
            )
            error = ValidationError({"code": wrong}, code="wrong_code")
        else:
            error = None
    if error is not None:  # raised after the commit so that the attempt is counted
        raise error
    return row


# --- registration and verification ----------------------------------------------------------------
def _username_for(identifier: Identifier) -> str:
    return identifier.value


def register_account(
    *,
    kind: str,
    full_name: str,
    identifier: str,
    password: str,
    citizen_id: str = "",
    organisation_name: str = "",
    tax_code: str = "",
) -> User:
    """Đăng ký tài khoản: create an inactive citizen or business account and send it a code.

    The e-mail address or phone number becomes the user name. Duplicates, an invalid citizen
    ID or tax code and a weak password are refused field by field, and nothing is created.
    """
    if kind not in PORTAL_KINDS:
        raise ValidationError({"kind": _("Choose a citizen or a business account.")})
    errors: dict[str, list] = {}
    full_name = normalize_text(full_name)
    if not full_name:
        errors["full_name"] = [_("Enter your full name.")]
    try:
        ident = parse_identifier(identifier)
    except ValidationError as exc:
        errors["identifier"] = exc.messages
        ident = None
    citizen_id = (citizen_id or "").strip()
    if citizen_id:
        try:
            validate_citizen_id(citizen_id)
        except ValidationError as exc:
            errors["citizen_id"] = exc.messages
    organisation_name = normalize_text(organisation_name)
    tax_code = (tax_code or "").strip()
    if kind == User.Kind.BUSINESS:
        if not organisation_name:
            errors["organisation_name"] = [_("Enter the name of the organisation.")]
        if not tax_code:
            errors["tax_code"] = [_("Enter the tax code of the organisation.")]
    if tax_code:
        try:
            validate_tax_code(tax_code)
        except ValidationError as exc:
            errors["tax_code"] = exc.messages
    if ident is not None and identifier_taken(ident):
        errors.update(_duplicate_error(ident).message_dict)
    user = User(
        username=_username_for(ident) if ident else "",
        kind=kind,
        full_name=full_name,
        email=ident.value if ident and ident.is_email else "",
        phone=ident.value if ident and not ident.is_email else "",
        is_active=False,
    )
    try:
        password_validation.validate_password(password or "", user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)

    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            profile = Profile.objects.create(
                user=user,
                citizen_id=citizen_id,
                organisation_name=organisation_name,
                tax_code=tax_code,
            )
            record_event(
                "account.register",
                user,
                actor=user,
                changes={
                    "kind": kind,
                    "channel": ident.channel,
                    "has_citizen_id": bool(citizen_id),
                },
            )
            _issue_code(user, CodePurpose.VERIFY, ident)
    except IntegrityError:  # someone registered the same address at the same moment
        raise _duplicate_error(ident) from None
    user.portal_profile = profile
    return user


def _pending_account(identifier: str) -> tuple[User, Identifier]:
    ident = parse_identifier(identifier)
    user = find_account(ident)
    if user is None or get_profile(user).verified_at is not None:
        raise ValidationError(
            {"identifier": _("No account is waiting for verification with this address.")},
            code="no_pending_account",
        )
    return user, ident


def resend_verification_code(identifier: str) -> User:
    """Gửi lại mã: a new verification code for an account not verified yet (rate-limited)."""
    user, ident = _pending_account(identifier)
    with transaction.atomic():
        _issue_code(user, CodePurpose.VERIFY, ident)
        record_event("account.code_resent", user, actor=user, changes={"channel": ident.channel})
    return user


def verify_account(identifier: str, code: str) -> User:
    """Xác minh tài khoản: the right code activates the account; a wrong one is counted."""
    user, ident = _pending_account(identifier)
    row = _check_code(user, CodePurpose.VERIFY, code)
    with transaction.atomic():
        VerificationCode.objects.filter(pk=row.pk).update(closed_at=timezone.now())
        _mark_verified(user, ident.channel)
    return user


def _mark_verified(user: User, channel: str) -> None:
    """The person proved they hold the address: the account becomes verified and active."""
    profile = get_profile(user)
    profile.verified_at = timezone.now()
    if channel == CodeChannel.EMAIL:
        profile.email_verified = True
    else:
        profile.phone_verified = True
    profile.save(update_fields=["verified_at", "email_verified", "phone_verified"])
    user.is_active = True
    user.save(update_fields=["is_active"])
    record_event("account.verify", user, actor=user, changes={"channel": channel})


def _may_reset(user: User | None) -> bool:
    """Active accounts, and accounts never verified (whose owner may have lost both the code
    and the password: the reset message proves the address as well as a code does). An
    account disabled after verification stays disabled."""
    if user is None:
        return False
    return user.is_active or get_profile(user).verified_at is None


# --- log-in ---------------------------------------------------------------------------------------
def username_for_login(identifier: str) -> str:
    """The user name to authenticate for what a person typed (e-mail or phone).

    Unknown identifiers still give a name, so that failed attempts are counted (and locked
    out) under one key whatever way the number was written.
    """
    try:
        ident = parse_identifier(identifier)
    except ValidationError:
        return normalize_text(identifier)
    user = find_account(ident)
    return user.username if user else ident.value


def awaiting_verification(username: str, password: str) -> bool:
    """True when these are the right credentials of an account not verified yet."""
    user = _accounts().filter(username=username, is_active=False).first()
    if user is None or get_profile(user).verified_at is not None:
        return False
    return user.check_password(password)


# --- password reset -------------------------------------------------------------------------------
def request_password_reset(identifier: str, link_for) -> Identifier:
    """Quên mật khẩu: e-mail a reset link, or text a reset code to the phone.

    ``link_for(uidb64, token)`` builds the absolute link. Nothing tells whether an account
    exists (the answer is the same); sending is rate-limited per address.
    """
    ident = parse_identifier(identifier)
    _check_send_rate(ident.value)  # known address or not, the same answer
    user = find_account(ident)
    if not _may_reset(user):
        return ident
    with transaction.atomic():
        if ident.is_email:
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            link = link_for(uid, default_token_generator.make_token(user))
            body = _(
                "Someone asked to reset the password of your account on the public service "
                "portal of %(province)s. To choose a new password, open this link within "
                "%(days)s days:\n\n%(link)s\n\nIf it was not you, ignore this message: your "
                "password stays the same."
            ) % {
                "province": settings.EGOV_PROVINCE_NAME,
                "link": link,
                "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            }
            _deliver(CodeChannel.EMAIL, ident.value, _("Reset your password"), body)
        else:
            _issue_code(user, CodePurpose.RESET, ident, rate_checked=True)
        record_event(
            "account.password_reset_requested", user, actor=user, changes={"channel": ident.channel}
        )
    return ident


def user_for_reset_link(uidb64: str, token: str) -> User | None:
    """The account a reset link belongs to, if the link is genuine and still valid."""
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        user = _accounts().get(pk=pk)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None
    if not _may_reset(user):
        return None
    return user if default_token_generator.check_token(user, token) else None


def _set_password(user: User, password: str, channel: str) -> User:
    try:
        password_validation.validate_password(password or "", user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from None
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record_event("account.password_reset", user, actor=user, changes={"channel": channel})
        if get_profile(user).verified_at is None:
            _mark_verified(user, channel)
    return user


def reset_password_with_link(user: User, new_password: str) -> User:
    """Đặt lại mật khẩu from an e-mailed link (checked by :func:`user_for_reset_link`).

    Changing the password makes the link (and every other link sent before) invalid.
    """
    return _set_password(user, new_password, CodeChannel.EMAIL)


def reset_password_with_code(identifier: str, code: str, new_password: str) -> User:
    """Đặt lại mật khẩu with a code sent by SMS (five wrong codes kill the code)."""
    ident = parse_identifier(identifier)
    user = find_account(ident)
    if not _may_reset(user):
        raise ValidationError(
            {"code": _("There is no code waiting for this account: ask for a new code.")},
            code="no_code",
        )
    try:
        password_validation.validate_password(new_password or "", user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from None
    row = _check_code(user, CodePurpose.RESET, code)
    with transaction.atomic():
        VerificationCode.objects.filter(pk=row.pk).update(closed_at=timezone.now())
        return _set_password(user, new_password, ident.channel)


# --- profile --------------------------------------------------------------------------------------
PROFILE_FIELDS = ("citizen_id", "date_of_birth", "address", "organisation_name", "tax_code")


def update_profile(user: User, *, full_name: str, **fields) -> Profile:
    """Hồ sơ cá nhân: change one's name, citizen ID, date of birth, address (and for a
    business its name and tax code). Invalid values are refused and nothing changes."""
    profile = get_profile(user)
    before = {"full_name": user.full_name, **{f: getattr(profile, f) for f in PROFILE_FIELDS}}
    full_name = normalize_text(full_name)
    for name in PROFILE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(profile, name, value.strip() if isinstance(value, str) else value)
    errors = {}
    if not full_name:
        errors["full_name"] = [_("Enter your full name.")]
    try:
        profile.full_clean(exclude=["user"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        profile.refresh_from_db()
        raise ValidationError(errors)
    with transaction.atomic():
        user.full_name = full_name
        user.save(update_fields=["full_name"])
        profile.save()
        after = {"full_name": user.full_name, **{f: getattr(profile, f) for f in PROFILE_FIELDS}}
        changes = {k: [_plain(before[k]), _plain(v)] for k, v in after.items() if before[k] != v}
        if changes:
            record_event("account.profile_update", user, actor=user, changes=changes)
    return profile


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


# --- OpenID Connect -------------------------------------------------------------------------------
@dataclass
class OidcResult:
    user: User
    created: bool
    linked: bool


def _claim_true(value) -> bool:
    return value is True or str(value).lower() == "true"


def _free_username(candidates: list[str], fallback: str) -> str:
    for name in candidates:
        if name and not User.objects.filter(username__iexact=name).exists():
            return name
    return fallback


def login_with_oidc(issuer: str, claims: dict, citizen_id_claim: str = "citizen_id") -> OidcResult:
    """Đăng nhập bằng tài khoản định danh: find or create the account of a verified ID token.

    The account is found by the provider's ``sub``. On a first log-in an existing account is
    linked only when the provider vouches for its e-mail address or phone number
    (``email_verified`` / ``phone_number_verified``): both sides then proved they hold it.
    Otherwise a new verified citizen account is created from the claims (name, e-mail, phone,
    citizen ID), leaving out any address that another account already uses.
    """
    subject = str(claims.get("sub") or "")
    if not issuer or not subject:
        raise ValidationError(_("The identity provider did not say who you are."), code="no_sub")
    with transaction.atomic():
        profile = (
            Profile.objects.select_for_update()
            .select_related("user")
            .filter(oidc_issuer=issuer, oidc_subject=subject)
            .first()
        )
        if profile is not None:
            user = profile.user
            if not user.is_active:
                raise ValidationError(_("This account is disabled."), code="inactive")
            return OidcResult(user, created=False, linked=False)

        email = phone = None
        try:
            if claims.get("email"):
                email = parse_identifier(str(claims["email"]))
                email = email if email.is_email else None
        except ValidationError:
            email = None
        try:
            if claims.get("phone_number"):
                phone = Identifier(CodeChannel.SMS, normalize_phone(str(claims["phone_number"])))
        except ValidationError:
            phone = None

        vouched = [
            ident
            for ident, flag in ((email, "email_verified"), (phone, "phone_number_verified"))
            if ident is not None and _claim_true(claims.get(flag))
        ]
        for ident in vouched:
            existing = find_account(ident)
            if existing is None:
                continue
            existing_profile = get_profile(existing)
            if existing_profile.oidc_subject:
                continue  # already linked to another identity: never take it over
            existing_profile.oidc_issuer, existing_profile.oidc_subject = issuer, subject
            existing_profile.verified_at = existing_profile.verified_at or timezone.now()
            existing_profile.save()
            if not existing.is_active and existing_profile.verified_at:
                existing.is_active = True
                existing.save(update_fields=["is_active"])
            record_event(
                "account.oidc_link",
                existing,
                actor=existing,
                changes={"issuer": issuer, "matched_by": ident.channel},
            )
            return OidcResult(existing, created=False, linked=True)

        email = email if email and not identifier_taken(email) else None
        phone = phone if phone and not identifier_taken(phone) else None
        citizen_id = str(claims.get(citizen_id_claim) or "").strip()
        try:
            validate_citizen_id(citizen_id)
        except ValidationError:
            citizen_id = ""
        full_name = normalize_text(
            str(
                claims.get("name")
                or " ".join(str(claims[k]) for k in ("family_name", "given_name") if claims.get(k))
            )
        )[:150]
        fallback = "oidc-" + hashlib.sha256(f"{issuer}|{subject}".encode()).hexdigest()[:24]
        user = User(
            username=_free_username(
                [email.value if email else "", phone.value if phone else ""], fallback
            ),
            kind=User.Kind.CITIZEN,
            full_name=full_name,
            email=email.value if email else "",
            phone=phone.value if phone else "",
            is_active=True,
        )
        user.set_unusable_password()
        user.save()
        birth = None
        if claims.get("birthdate"):
            try:
                birth = dt.date.fromisoformat(str(claims["birthdate"]))
            except ValueError:
                birth = None
        Profile.objects.create(
            user=user,
            citizen_id=citizen_id,
            date_of_birth=birth,
            verified_at=timezone.now(),
            email_verified=bool(email and _claim_true(claims.get("email_verified"))),
            phone_verified=bool(phone and _claim_true(claims.get("phone_number_verified"))),
            oidc_issuer=issuer,
            oidc_subject=subject,
        )
        record_event(
            "account.oidc_register",
            user,
            actor=user,
            changes={"issuer": issuer, "has_citizen_id": bool(citizen_id)},
        )
    return OidcResult(user, created=True, linked=False)


def record_login(user: User, method: str) -> None:
    """Write the log-in to the audit trail (the staff log-in writes the same action)."""
    with transaction.atomic():
        record_event("auth.login", user, actor=user, changes={"method": method})
