"""A throwaway PostgreSQL cluster for tests and benchmarks: initdb in a temp directory, fsync off, loopback only.

As root (initdb refuses root) the directory belongs to the ``postgres`` system user and the commands run
through ``runuser -u postgres --``.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def _find(binary: str) -> str | None:
    found = shutil.which(binary)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{binary}"), reverse=True)
    return candidates[0] if candidates else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    directory: Path
    port: int
    pg_ctl: str
    as_postgres: list[str]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        subprocess.run([*self.as_postgres, self.pg_ctl, "-D", str(self.directory / "data"), "-m", "immediate",
                        "stop"], capture_output=True, check=False)
        shutil.rmtree(self.directory, ignore_errors=True)


def start_cluster() -> Cluster:
    initdb, pg_ctl = _find("initdb"), _find("pg_ctl")
    # Prefer the Debian server's own pair: a stray initdb on PATH may not match its postgres binary.
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    if debian:
        pg_ctl = debian[0]
        initdb = str(Path(pg_ctl).with_name("initdb"))
    if not initdb or not pg_ctl or not Path(initdb).exists():
        raise PostgresUnavailable("initdb/pg_ctl not found on PATH or under /usr/lib/postgresql/*/bin")
    directory = Path(tempfile.mkdtemp(prefix="omniretail-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(directory, user="postgres", group="postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data = directory / "data"
    result = subprocess.run([*as_postgres, initdb, "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                             "--no-sync", "--locale=C.UTF-8"], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise PostgresUnavailable(f"initdb failed: {result.stderr.strip()[-500:]}")
    port = free_port()
    options = (f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
               f"-c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB")
    result = subprocess.run([*as_postgres, pg_ctl, "-D", str(data), "-o", options, "-l", str(directory / "log"),
                             "-w", "-t", "60", "start"], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        log = (directory / "log").read_text() if (directory / "log").exists() else ""
        raise PostgresUnavailable(f"pg_ctl start failed: {result.stderr.strip()} {log[-500:]}")
    cluster = Cluster(directory=directory, port=port, pg_ctl=pg_ctl, as_postgres=as_postgres)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return cluster
        time.sleep(0.1)
    cluster.stop()
    raise PostgresUnavailable("PostgreSQL did not start listening within 30 s")


def create_database(server_url: str, name: str) -> str:
    """Create database ``name`` on the server and return its URL."""
    import psycopg

    plain = server_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"
