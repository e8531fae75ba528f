"""A local stand-in for the Snowplow Signals API, for the serving tests (run in .venv-signals).

    python signals_standin.py --port N --attributes FILE --log FILE [--token T]

Serves, on 127.0.0.1 only:

* ``POST /api/v1/get-online-attributes``: the body must validate as the SDK's
  ``GetServiceAttributesRequest`` (or ``GetAttributeGroupAttributesRequest``);
  the answer is built with the SDK's ``GetAttributesResponse`` from FILE, a JSON
  object ``{domain_userid: {qualified attribute name: value}}``, under plain names
  unless the request asks for ``full_attribute_names`` (a visitor not in it gets
  an empty answer, as Signals gives for an unknown visitor);
* ``POST /api/v1/registry/attribute_groups/`` and ``/registry/services/``: the body
  must validate as the SDK's ``AttributeGroup`` / ``Service``; echoed back.

Every request (path, Authorization header, body) is appended to the log FILE as a
JSON line. A wrong bearer token gets 401; an invalid body 422 (as the API does).
It exits by itself after ``--max-seconds``.
"""

from __future__ import annotations

import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from snowplow_signals.models import (
    AttributeGroup,
    GetAttributeGroupAttributesRequest,
    GetAttributesResponse,
    GetServiceAttributesRequest,
    Service,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True, help="port on 127.0.0.1")
    parser.add_argument("--attributes", required=True, help="JSON file {visitor: {name: value}}")
    parser.add_argument("--log", required=True, help="JSON-lines file of the requests received")
    parser.add_argument("--token", default="test-sandbox-token", help="the bearer token expected")
    parser.add_argument("--max-seconds", type=float, default=600.0, help="exit after this long")
    args = parser.parse_args()
    attributes = json.loads(Path(args.attributes).read_text())
    log_lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *items: object) -> None:  # quiet
            pass

        def _answer(self, status: int, payload: object) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"null")
            with log_lock, open(args.log, "a") as log:
                log.write(json.dumps({"path": self.path, "authorization": self.headers.get("Authorization"),
                                      "sdk": self.headers.get("X-Signals-Sdk-Name"), "body": body}) + "\n")
            if self.headers.get("Authorization") != f"Bearer {args.token}":
                self._answer(401, {"detail": "invalid token"})
                return
            try:
                if self.path == "/api/v1/get-online-attributes":
                    if "service" in body:
                        request = GetServiceAttributesRequest.model_validate(body)
                        keys = request.attribute_keys.root
                    else:
                        request = GetAttributeGroupAttributesRequest.model_validate(body)
                        keys = request.attribute_keys.root
                    identifiers = keys.get("domain_userid") or []
                    values = attributes.get(identifiers[0], {}) if identifiers else {}
                    if not body.get("full_attribute_names"):  # the SDK's default: plain names
                        values = {name.rsplit(":", 1)[-1]: value for name, value in values.items()}
                    response = GetAttributesResponse(
                        data={"domain_userid": [identifiers[0] if identifiers else None],
                              **{name: [value] for name, value in values.items()}}
                    )
                    self._answer(200, response.model_dump(mode="json")["data"])
                elif self.path == "/api/v1/registry/attribute_groups/":
                    self._answer(201, AttributeGroup.model_validate(body).model_dump(mode="json", by_alias=True))
                elif self.path == "/api/v1/registry/services/":
                    self._answer(201, Service.model_validate(body).model_dump(mode="json", by_alias=True))
                else:
                    self._answer(404, {"detail": f"no route {self.path}"})
            except ValueError as exc:  # pydantic.ValidationError is a ValueError
                self._answer(422, {"detail": str(exc)})

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    timer = threading.Timer(args.max_seconds, server.shutdown)
    timer.daemon = True
    timer.start()
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
