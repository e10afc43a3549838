"""Flask commands: init-db, create-admin, demo-data, worker, backup, restore, copy-db."""
from pathlib import Path

import click
from flask import current_app

from .models import AuditLog, User, db
from .schema import migrate


def create_admin_account(username: str) -> str:
    from .rules.passwords import one_time_password
    from .security import hash_password
    secret = one_time_password()
    with db.atomic():
        user = User.create(username=username.lower(), password_hash=hash_password(secret),
                           role="admin", must_change_password=True)
        AuditLog.record(None, "create", "user", user.id, f"Akun admin {user.username} dibuat (CLI)",
                        after={"username": user.username, "role": "admin"})
    return secret


def init_app(app) -> None:
    @app.cli.command("init-db")
    def init_db_command():
        """Create or upgrade the schema (running it twice changes nothing)."""
        applied = migrate()
        click.echo(f"Migrasi dijalankan: {', '.join(applied)}" if applied
                   else "Skema basis data sudah mutakhir.")

    @app.cli.command("create-admin")
    @click.argument("username")
    def create_admin_command(username):
        """Create an admin BKPSDM account with a one-time password."""
        migrate()
        if User.get_or_none(User.username == username.lower()):
            raise click.ClickException(f"Akun '{username}' sudah ada.")
        secret = create_admin_account(username)
        click.echo(f"Akun admin '{username.lower()}' dibuat. Kata sandi sekali pakai: {secret}")
        click.echo("Kata sandi ini harus diganti saat pertama kali masuk.")

    @app.cli.command("demo-data")
    @click.option("--url", default="http://127.0.0.1:5000", help="Alamat server yang dicetak.")
    def demo_data_command(url):
        """Fill an empty database with the demo regency (never overwrites)."""
        from .demo import DEMO_PASSWORD, demo_accounts, seed
        migrate()
        created = seed()
        click.echo("Data demo dibuat." if created else "Data demo sudah ada; tidak ada yang diubah.")
        click.echo(f"\nAkun demo (kata sandi semua akun: {DEMO_PASSWORD}):")
        for role, username, name in demo_accounts():
            click.echo(f"  {role:<40} {username:<20} {name}")
        click.echo(f"\nBuka {current_app.config['PUBLIC_URL'] or url}")

    @app.cli.command("worker")
    @click.option("--threads", default=2, show_default=True, help="Jumlah utas pekerja.")
    def worker_command(threads):
        """Run the background worker: email, daily digests and reminders (until Ctrl+C)."""
        import logging

        from . import jobs
        if not logging.getLogger().handlers:
            logging.basicConfig(level=logging.INFO,
                                format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        if jobs.huey.immediate:
            raise click.ClickException("JOBS_IMMEDIATE=1: tugas dijalankan langsung oleh server "
                                       "web; pekerja tidak diperlukan.")
        migrate()
        click.echo(f"Pekerja latar belakang berjalan ({threads} utas); Ctrl+C untuk berhenti.")
        jobs.run_worker(threads)

    @app.cli.command("backup")
    @click.argument("dest", type=click.Path(path_type=Path))
    def backup_command(dest):
        """Database, uploads and secret key in one archive; safe while serving."""
        from . import backup
        database, uploads, key = _instance_files()
        try:
            archive = backup.create(database, uploads, key, dest)
        except backup.BackupError as exc:
            raise click.ClickException(str(exc))
        click.echo(f"Cadangan dibuat: {archive} ({archive.stat().st_size:,} bita)".replace(",", "."))

    @app.cli.command("restore")
    @click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--check", "check_only", is_flag=True,
                  help="Hanya periksa arsip, tanpa memulihkan.")
    @click.option("--yes", is_flag=True, help="Jangan bertanya lagi.")
    def restore_command(archive, check_only, yes):
        """Check an archive, then put its database, uploads and key in place (server stopped)."""
        from . import backup
        database, uploads, key = _instance_files()
        try:
            if check_only:
                manifest = backup.verify(archive)
                click.echo(f"Arsip baik: {len(manifest['files'])} berkas, dibuat {manifest['created']}.")
                return
            if not yes:
                click.confirm(f"Hentikan server lebih dulu. Ganti {database} dan {uploads} "
                              f"dengan isi {archive.name}?", abort=True)
            if not db.is_closed():
                db.close()
            result = backup.restore(archive, database, uploads, key)
        except backup.BackupError as exc:
            raise click.ClickException(str(exc))
        click.echo(f"Dipulihkan dari cadangan {result.created}: basis data, {result.uploads} berkas "
                   f"unggahan{', kunci rahasia' if result.secret_key else ''}.")
        for path in result.kept:
            click.echo(f"  yang lama disimpan sebagai {path}")
        migrate()
        click.echo("Skema diperiksa; jalankan lagi server.")

    @app.cli.command("copy-db")
    @click.option("--to", "target_url", required=True, metavar="URL",
                  help="DATABASE_URL tujuan, mis. postgresql://kinerja:RAHASIA@localhost/kinerja")
    @click.option("--check", "check_only", is_flag=True,
                  help="Hanya periksa sumber dan tujuan serta hitung baris, tanpa menulis.")
    def copy_db_command(target_url, check_only):
        """Copy this regency's database into an empty one, e.g. PostgreSQL (server stopped)."""
        from . import copy_db
        try:
            outcome = copy_db.copy(current_app.config["DATABASE_URL"], target_url, check_only)
        except copy_db.CopyError as exc:
            for line in copy_db.report_lines(exc.tables):
                click.echo(line)
            raise click.ClickException(str(exc))
        click.echo(f"Sumber: {outcome.source}")
        click.echo(f"Tujuan: {outcome.target}")
        for line in copy_db.report_lines(outcome.tables):
            click.echo(line)
        click.echo(copy_db.summary_line(outcome))
        if outcome.copied:
            click.echo("")
            for line in copy_db.reminder_lines(current_app.config["UPLOAD_DIR"],
                                               current_app.config["SECRET_KEY_FILE"],
                                               outcome.target):
                click.echo(line)


def _instance_files() -> tuple[Path, Path, Path | None]:
    url = current_app.config["DATABASE_URL"]
    if not url.startswith("sqlite:///"):
        raise click.ClickException("backup/restore bekerja pada SQLite; untuk PostgreSQL pakai "
                                   "pg_dump/pg_restore.")
    key_file = current_app.config["SECRET_KEY_FILE"]
    key = Path(key_file) if key_file else None
    return (Path(url[len("sqlite:///"):]), Path(current_app.config["UPLOAD_DIR"]), key)
