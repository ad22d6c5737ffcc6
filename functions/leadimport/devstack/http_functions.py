"""The HTTP functions of functions/main.py, each built by functions-framework's own create_app and
served from one local process at /<function name> — the same URL shape Cloud Functions gives them.

    python -m leadimport.devstack.http_functions --source functions/main.py --port N
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from typing import Any

import functions_framework
from werkzeug.serving import run_simple
from werkzeug.wrappers import Response

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

HTTP_FUNCTIONS = ("suggest_mapping", "preview_import", "start_import", "job_status", "list_imports", "undo_import",
                  "bulk_reassign", "import_template", "inbound_email")


def build(source: str) -> WSGIApp:
    apps = {name: functions_framework.create_app(name, source, "http") for name in HTTP_FUNCTIONS}
    missing = Response("Not found: POST to /<function name>", status=404)

    def dispatch(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        name, _, rest = environ.get("PATH_INFO", "").lstrip("/").partition("/")
        if name not in apps:
            return missing(environ, start_response)
        # each function sees the request at its own root, as it does behind its Cloud Functions URL
        environ = {**environ, "SCRIPT_NAME": f"/{name}", "PATH_INFO": "/" + rest}
        return apps[name](environ, start_response)

    return dispatch


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    run_simple("127.0.0.1", args.port, build(args.source), threaded=True)
