"""Short-answer patterns in which `*` stands for any run of characters, as in Moodle.

Kept apart from the question types because the matching rule is subtle (no regular
expressions, so no catastrophic backtracking) and is tested on its own. Pure.
"""


def wildcard_match(pattern: str, text: str) -> bool:
    """Whether `text` is `pattern` with each `*` standing for any run of characters (possibly
    empty). Every other character is literal, "." and "(" included. Matching the literal
    pieces left to right, each at its first place, is enough for `*`-only patterns and cannot
    backtrack catastrophically the way a regular expression can."""
    if "*" not in pattern:
        return text == pattern
    first, *middle, last = pattern.split("*")
    end = len(text) - len(last)
    if end < len(first) or not text.startswith(first) or not text.endswith(last):
        return False
    position = len(first)
    for piece in middle:
        found = text.find(piece, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return True
