"""The app as its own server process for tests that need more than one (gunicorn loads
`tests.support.served:app`): settings from the environment as in production, the suite's
date on the app's clock, so the demo regency's deadlines read the same as in-process."""
from kinerja import create_app

from .app import TODAY  # noqa: F401 - importing it sets the app's clock to the suite's day

app = create_app()
