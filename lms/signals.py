"""Events one feature announces and another reacts to, so features do not import each other."""
from blinker import Namespace

_signals = Namespace()

# Sent with the person (sender) after a course completion or a quiz result changed, inside
# the same transaction: whatever reacts (certificate issuance) commits with the change.
requirements_changed = _signals.signal("requirements-changed")
