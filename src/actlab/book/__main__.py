"""``python -m actlab.book build``: both books, the English in ``_build/html/`` and the Korean
in ``_build/html/ko/`` (see :mod:`actlab.book.translate`; its other commands are
``python -m actlab.book.translate extract | generate | status``)."""

import sys

from actlab.book.translate import build

if __name__ == "__main__":
    if sys.argv[1:] != ["build"]:
        sys.exit(__doc__)
    sys.exit(build())
