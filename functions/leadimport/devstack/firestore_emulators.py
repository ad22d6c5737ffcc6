"""Which Firestore emulator the local stack runs: Google's own whenever the machine has it, the npm one only where not.

Google's (the Java `cloud-firestore-emulator` component of the Google Cloud CLI) is what Google
stands behind: atomic commits, preconditions, transforms, transactions with locks. The npm
`@firestore-emulator/server` is a fallback with known gaps (design.md lists them); a machine without
the Cloud CLI can still run the demo on it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

CHOICE_ENV = "LEADIMPORT_FIRESTORE_EMULATOR"  # "google" (required), "npm" (forced), unset: Google's when found
NPM_PACKAGE = "@firestore-emulator/server@0.3.15"
_COMPONENT = Path("platform/cloud-firestore-emulator/cloud_firestore_emulator")
GET_GOOGLE = ("Google's Firestore emulator is not on this machine: install the Google Cloud CLI and run "
              "`gcloud components install cloud-firestore-emulator` (or, from Google's Debian repository, "
              "`apt-get install google-cloud-cli-firestore-emulator`); it needs Java 17 or newer.")


@dataclass(frozen=True)
class FirestoreEmulator:
    kind: str  # "google" or "npm"
    launcher: str  # Google's component launcher, or node

    def argv(self, port: int) -> list[str]:
        if self.kind == "google":
            return [self.launcher, "start", "--host=127.0.0.1", f"--port={port}"]
        return [self.launcher, str(Path(__file__).with_name("firestore_emulator.cjs")), str(port)]

    def env(self) -> dict[str, str]:
        return {"NODE_PATH": str(ensure_npm_emulator())} if self.kind == "npm" else {}

    def describe(self) -> dict[str, str]:
        if self.kind == "google":
            return {"kind": "google", "name": "Google's cloud-firestore-emulator", "launcher": self.launcher}
        return {"kind": "npm", "name": f"npm {NPM_PACKAGE} (fallback: no preconditions, transforms or atomic commits)",
                "launcher": self.launcher}


def google_launcher() -> str | None:
    """The component's own launcher, found beside `gcloud` (or CLOUDSDK_ROOT_DIR), when it and Java are here."""
    if shutil.which(os.environ.get("JAVA", "java")) is None:
        return None
    roots = [Path(os.environ["CLOUDSDK_ROOT_DIR"])] if os.environ.get("CLOUDSDK_ROOT_DIR") else []
    gcloud = shutil.which("gcloud")
    if gcloud:
        roots.append(Path(gcloud).resolve().parent.parent)  # <sdk>/bin/gcloud
    for root in roots:
        if (root / _COMPONENT).is_file() and os.access(root / _COMPONENT, os.X_OK):
            return str(root / _COMPONENT)
    return shutil.which(_COMPONENT.name)


def choose() -> FirestoreEmulator:
    """Google's emulator unless CHOICE_ENV says npm; with CHOICE_ENV=google, its absence is an error."""
    wanted = os.environ.get(CHOICE_ENV, "").strip().lower()
    if wanted not in {"", "google", "npm"}:
        raise RuntimeError(f"{CHOICE_ENV} is 'google', 'npm' or unset, not {wanted!r}.")
    launcher = None if wanted == "npm" else google_launcher()
    if launcher:
        return FirestoreEmulator("google", launcher)
    if wanted == "google":
        raise RuntimeError(GET_GOOGLE)
    if shutil.which("node") is None:
        raise RuntimeError(GET_GOOGLE + " Or install Node.js for the npm fallback emulator.")
    return FirestoreEmulator("npm", shutil.which("node") or "node")


def ensure_npm_emulator() -> Path:
    """The pinned npm Firestore emulator, installed once into a cache folder; returns its node_modules."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise RuntimeError("Node.js and npm are needed for the npm Firestore emulator (apt-get install nodejs npm).")
    cache = Path(os.environ.get("LEADIMPORT_CACHE_DIR", Path.home() / ".cache" / "leadimport"))
    prefix = cache / ("npm-" + NPM_PACKAGE.replace("/", "_").replace("@", ""))
    modules = prefix / "node_modules"
    if not (modules / "@firestore-emulator" / "server" / "package.json").is_file():
        prefix.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
                        "--loglevel=error", NPM_PACKAGE], check=True, stdout=subprocess.DEVNULL)
    return modules


if __name__ == "__main__":  # setup.sh: say which emulator `dev up` will run, and how to get Google's
    chosen = choose()
    print(f"Firestore emulator for the local stack: {chosen.describe()['name']} ({chosen.launcher})")
    if chosen.kind == "npm":
        print(GET_GOOGLE)
