"""Password hashes: Argon2id for new passwords, older werkzeug hashes still verified."""
import pytest
from werkzeug.security import generate_password_hash

from lms.auth.passwords import hash_password, method_of, normalised_method, verify_password

LIGHT_ARGON2 = "argon2id:1024:1:1"  # the tests' own small settings; the app's default is 19 MiB


def test_argon2id_hashes_verify_and_say_their_settings():
    stored = hash_password("Mùa-lúa-chín-2026", LIGHT_ARGON2)
    assert stored.startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    assert verify_password(stored, "Mùa-lúa-chín-2026")
    assert not verify_password(stored, "mùa-lúa-chín-2026")
    assert method_of(stored) == LIGHT_ARGON2


def test_the_default_argon2id_settings_are_owasps():
    assert normalised_method("argon2id") == "argon2id:19456:2:1"


def test_older_werkzeug_hashes_still_verify():
    stored = generate_password_hash("Cũ-nhưng-đúng", method="scrypt:4096:8:1")
    assert verify_password(stored, "Cũ-nhưng-đúng")
    assert not verify_password(stored, "sai")
    assert method_of(stored) == "scrypt:4096:8:1"
    assert normalised_method("pbkdf2:sha256:1000") == "pbkdf2:sha256:1000"


@pytest.mark.parametrize("stored", [None, "", "$argon2id$v=19$m=1024,t=1,p=1$hỏng", "$argon2id$", "không-phải-hash"])
def test_a_missing_or_damaged_hash_matches_nothing(stored):
    assert verify_password(stored, "bất kỳ") is False
