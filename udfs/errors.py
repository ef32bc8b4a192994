"""Engine-side input problems: Chinese and English text, no knowledge of exit codes or doors."""
from __future__ import annotations


class InputProblem(ValueError):
    """The data (or a user-supplied rule file) cannot be used as given; `zh` and `en` say why and what to do.

    The doors turn this into their own error display: the CLI's two lines and exit code, the ribbon's
    message box, a formula's error text.
    """

    def __init__(self, zh: str, en: str, *, missing_file: bool = False):
        super().__init__(en)
        self.zh, self.en = zh, en
        self.missing_file = missing_file
