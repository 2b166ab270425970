"""Small helpers shared by the core tests."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def enrol_totp(user) -> TOTPDevice:
    """Give ``user`` a confirmed authenticator, as the enrolment page would."""
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """The 6-digit code the user's phone shows right now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
