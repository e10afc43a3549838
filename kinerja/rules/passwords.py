"""Password policy for accounts; hashing lives in kinerja.security."""
import secrets

MIN_LENGTH = 10
# Without look-alikes (0/O, 1/l/I) so a one-time password can be read aloud or copied by hand.
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def password_problems(password: str, username: str = "") -> list[str]:
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Kata sandi minimal {MIN_LENGTH} karakter.")
    if password.isdigit() or password.isalpha():
        problems.append("Kata sandi harus memuat huruf dan angka.")
    if username and username.lower() in password.lower():
        problems.append("Kata sandi tidak boleh memuat NIP atau nama pengguna.")
    return problems


def one_time_password(length: int = 12) -> str:
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if not password_problems(candidate):
            return candidate
