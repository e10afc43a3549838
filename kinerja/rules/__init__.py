"""Pure domain rules: no Flask, no database. Each module is tested on its own."""


class DomainError(ValueError):
    """What the facts do not allow, with the reason a user reads (in Indonesian).

    The one error type of rules and stores. `field` names the form field the message
    belongs beside, when there is one; the view layer turns the error into the answer
    in one place (`views.toolkit.refused`, or a 409 from the app's error handler).
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
