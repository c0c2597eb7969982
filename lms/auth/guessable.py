"""What makes a password easy to guess (pure: plain strings in, reason codes out).

A guesser tries, in order: the most common passwords (with a year or "@123" stuck on, or
letters swapped for look-alike digits), runs like aaaaaaaa or 12345678, and then what is known
about the person: their name, username, staff code, date of birth and the organisation's
name. `guessable_reasons` says which of these a password is, as codes that
`lms.auth.passwords` turns into messages.

Everything is compared folded: lower case, accents dropped ("Nguyễn Văn Đạt" -> nguyen, van,
dat) and separators removed, so "Nguyen-Van-Dat" and "nguyễnvănđạt" are the same.
"""
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import pairwise

from lms.text import ascii_fold

COMMON = "common"
SIMPLE = "simple"
NAME = "name"
USERNAME = "username"
STAFF_CODE = "staff_code"
BIRTH_DATE = "birth_date"
ORGANISATION = "organisation"
_PERSONAL_ORDER = (NAME, USERNAME, STAFF_CODE, BIRTH_DATE, ORGANISATION)

# Favourites of Vietnamese speakers that the (English-language) zxcvbn list lacks.
_VIETNAMESE_COMMON = (
    "matkhau", "matkhaumoi", "matkhaucuatoi", "vietnam", "vietnamvodich", "hanoi", "saigon",
    "hochiminh", "xinchao", "yeuem", "yeuanh", "toiyeuem", "anhyeuem", "emyeuanh", "anhyeuemnhieu",
    "emyeuanhnhieu", "conyeume", "yeumenhieu", "giadinh", "hanhphuc", "binhdinh",
)
# Look-alike characters ("p@ssw0rd"); "1" stands for i or l, so both are tried.
_LOOK_ALIKES = (str.maketrans("@4$5301!7", "aasseoiit"), str.maketrans("@4$5301!7", "aasseolit"))
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"[^\W_]+")
# A common word with up to this many digits or symbols before or after it is still common.
_MAX_AFFIX = 5
_MIN_CORE = 4
# Once the personal parts are taken out, at least this much unguessable text must be left.
_MIN_REMAINDER = 5
_MIN_PART = 3  # shorter name parts ("Lê", "Võ" …) are too common inside other words
_MIN_CONTAINED = 4  # a username, staff code or organisation token this long may not appear at all
# Leading words of an organisation's name that say what kind of body it is, not which one.
_ADMINISTRATIVE = (("ubnd",), ("hdnd",), ("uy", "ban", "nhan", "dan"), ("hoi", "dong", "nhan", "dan"),
                   ("thanh", "pho"), ("thi", "xa"), ("thi", "tran"), ("huyen",), ("quan",), ("xa",),
                   ("phuong",), ("tinh",))


@dataclass(frozen=True)
class PersonalDetails:
    """What a guesser may know about the account holder and where they work."""

    username: str = ""
    full_name: str = ""
    staff_code: str | None = None
    date_of_birth: date | None = None
    organisation: str = ""


def fold(value: str) -> str:
    """'Nguyễn-Văn Đạt' -> 'nguyenvandat': lower case, no accents, letters and digits only."""
    return _NOT_ALNUM.sub("", ascii_fold(value).lower())


def guessable_reasons(password: str, details: PersonalDetails) -> list[str]:
    """The reason codes that make `password` easy to guess, most telling first ([]: none).

    A common password or a simple run is reported alone; personal details are all reported,
    so the person learns everything to avoid at once.
    """
    if is_common(password):
        return [COMMON]
    if any(_is_simple(variant) for variant in _variants(password.lower())):
        return [SIMPLE]
    return _personal_reasons(fold(password), details)


def is_common(password: str) -> bool:
    """In the common-password list, as typed, with look-alikes undone or with a short affix
    of digits and symbols ("Password2024!", "matkhau@123") taken off."""
    common = common_passwords()
    return any(variant in common for variant in _variants(password.lower()))


@cache
def common_passwords() -> frozenset[str]:
    """zxcvbn's 30,000 most frequent passwords (lower case) plus Vietnamese favourites."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"]) | frozenset(_VIETNAMESE_COMMON)


def _variants(lowered: str) -> Iterator[str]:
    """The password itself, then without accents and with look-alikes undone, each also without
    separators, and the core of each once a short affix of non-letters is taken off."""
    seen = set()
    unaccented = ascii_fold(lowered)  # "mậtkhẩu123" is "matkhau123"
    for spelled in (lowered, unaccented, *(unaccented.translate(table) for table in _LOOK_ALIKES)):
        for form in (spelled, _NOT_ALNUM.sub("", spelled)):
            for candidate in (form, _core(form)):
                if candidate and candidate not in seen:
                    seen.add(candidate)
                    yield candidate


def _core(form: str) -> str:
    """'password2024!' -> 'password'; '' when there is no short affix to take off."""
    match = re.fullmatch(r"([^a-z]*)([a-z](?:.*[a-z])?)([^a-z]*)", form)
    if not match or not (match.group(1) or match.group(3)):
        return ""
    prefix, core, suffix = match.groups()
    if len(core) < _MIN_CORE or not all(_is_trivial_affix(affix) for affix in (prefix, suffix)):
        return ""
    return core


def _is_trivial_affix(affix: str) -> bool:
    return len(affix) <= _MAX_AFFIX or _is_simple(_NOT_ALNUM.sub("", affix))


def _is_simple(text: str) -> bool:
    """One character repeated, a short block repeated (abcabcab, 12121212), or a run going up
    or down one step at a time (abcdefgh, 12345678, 98765432)."""
    if len(text) < _MIN_CORE:
        return False
    for size in range(1, 5):
        if len(text) >= 2 * size and (text[:size] * len(text))[:len(text)] == text:
            return True
    steps = {ord(b) - ord(a) for a, b in pairwise(text)}
    return steps in ({1}, {-1})


def _personal_reasons(folded: str, details: PersonalDetails) -> list[str]:
    reasons = []
    username, staff_code = fold(details.username), fold(details.staff_code or "")
    if username and (folded == username or (len(username) >= _MIN_CONTAINED and username in folded)):
        reasons.append(USERNAME)
    if len(staff_code) >= _MIN_CONTAINED and staff_code in folded:
        reasons.append(STAFF_CODE)
    full_dates, date_parts = _birth_date_forms(details.date_of_birth)
    if any(form in folded for form in full_dates):
        reasons.append(BIRTH_DATE)
    org_whole, org_words = _organisation_tokens(details.organisation)
    if any(token in folded for token in org_whole):
        reasons.append(ORGANISATION)
    name_parts = _name_parts(details.full_name)
    if any(a + b in folded for a in name_parts for b in name_parts if a != b):
        reasons.append(NAME)
    reasons.extend(_built_from(folded, username, staff_code, name_parts, date_parts, org_words))
    return sorted(set(reasons), key=_PERSONAL_ORDER.index)


def _built_from(folded: str, username: str, staff_code: str, name_parts: list[str],
                date_parts: set[str], org_words: list[str]) -> list[str]:
    """The kinds of personal detail a password is made of, when taking them out leaves too
    little else ("Dat@12345" for Nguyễn Văn Đạt). A birth year or a word of the organisation's
    name counts only beside a name, username or staff code."""
    kinds: dict[str, str] = {}
    for token in (*date_parts, *org_words):
        kinds[token] = BIRTH_DATE if token in date_parts else ORGANISATION
    for token, kind in ((username, USERNAME), (staff_code, STAFF_CODE), *((p, NAME) for p in name_parts)):
        if len(token) >= _MIN_PART:
            kinds[token] = kind
    remainder, found = folded, []
    for token in sorted(kinds, key=len, reverse=True):
        if token in remainder:
            remainder = remainder.replace(token, " ")
            found.append(kinds[token])
    if not set(found) & {NAME, USERNAME, STAFF_CODE}:
        return []
    rest = remainder.replace(" ", "")
    if len(rest) >= _MIN_REMAINDER and not _is_simple(rest) and rest not in common_passwords():
        return []
    return found


def _name_parts(full_name: str) -> list[str]:
    return [part for part in (fold(word) for word in _WORD.findall(full_name)) if len(part) >= _MIN_PART]


def _birth_date_forms(born: date | None) -> tuple[set[str], set[str]]:
    """(whole dates, never allowed: 05031985, 531985, 19850305, 050385, 03051985, 850305;
    parts, allowed unless beside a name: 1985, 0503) for 5 March 1985."""
    if born is None:
        return set(), set()
    dd, mm, yyyy = f"{born.day:02d}", f"{born.month:02d}", f"{born.year:04d}"
    d, m, yy = str(born.day), str(born.month), yyyy[2:]
    whole = {dd + mm + yyyy, d + m + yyyy, yyyy + mm + dd, dd + mm + yy, mm + dd + yyyy, yy + mm + dd}
    parts = {yyyy, dd + mm}
    return whole, parts


def _organisation_tokens(name: str) -> tuple[list[str], list[str]]:
    """(tokens never allowed: 'ubnd', 'vinhthanh'; words allowed alone: 'vinh', 'thanh')
    for 'UBND huyện Vĩnh Thạnh'."""
    words = [fold(word) for word in _WORD.findall(name)]
    acronyms = [fold(word) for word in _WORD.findall(name) if word.isupper() and len(word) >= _MIN_PART]
    proper = words
    stripped = True
    while stripped:
        stripped = False
        for prefix in _ADMINISTRATIVE:
            if len(proper) > len(prefix) and tuple(proper[:len(prefix)]) == prefix:
                proper, stripped = proper[len(prefix):], True
                break
    whole = [token for token in ("".join(proper), *acronyms) if len(token) >= _MIN_CONTAINED]
    return whole, [word for word in proper if len(word) >= _MIN_PART]
