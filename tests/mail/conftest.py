"""The mail tests run the app against a real SMTP server the test starts (aiosmtpd)."""
import pytest

from kinerja.models import User, db, utcnow

from ..support import database
from ..support.app import make_app

BASE_URL = "http://kinerja.test"


@pytest.fixture
def app(tmp_path, smtp):
    """The test app sending to `smtp` (plain SMTP, no TLS), links under BASE_URL."""
    app = make_app(tmp_path, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_USE_TLS=False,
                   MAIL_SENDER="Kinerja Sukamaju <kinerja@sukamaju.test>", BASE_URL=BASE_URL,
                   MAIL_RETRY_MINUTES=5, MAIL_MAX_ATTEMPTS=3)
    yield app
    if not db.is_closed():
        db.close()


def set_email(app, username, verified=True):
    """Give an account an address (verified unless told); (user id, employee id, address)."""
    address = f"{username.replace('.', '-')}@sukamaju.test"
    with database(app):
        user = User.get(User.username == username)
        User.update(email=address, email_verified_at=utcnow() if verified else None).where(
            User.id == user.id).execute()
        return user.id, user.employee_id, address


@pytest.fixture
def with_email(app, accounts):
    """with_email("pegawai") gives that demo account a verified address; (user id,
    employee id, address)."""
    return lambda role, verified=True: set_email(app, accounts[role], verified)
