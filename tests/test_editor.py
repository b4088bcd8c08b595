"""The JSON Schema in a real editor's YAML support: the VS Code YAML language server, driven over stdio."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, run

SERVER = os.environ.get("FACTCHECK_YAML_LANGUAGE_SERVER") or str(
    REPO / "build" / "node" / "node_modules" / ".bin" / "yaml-language-server")

if not (shutil.which(SERVER) or Path(SERVER).is_file()) and not os.environ.get("FACTCHECK_REQUIRE_EDITOR"):
    pytest.skip("yaml-language-server is not installed (CI installs it with npm and sets FACTCHECK_REQUIRE_EDITOR)",
                allow_module_level=True)


class Client:
    """A minimal LSP client: JSON-RPC messages with Content-Length headers over the server's stdio."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen([SERVER, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, cwd=root)
        self.next_id = 0
        self.notifications: list[dict[str, Any]] = []
        self.buffer = b""

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        self.process.stdin.flush()

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        wanted = self.next_id
        self.send({"id": wanted, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == wanted and "method" not in message:
                return message.get("result")

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def receive(self, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        assert self.process.stdout is not None
        while True:
            if b"\r\n\r\n" in self.buffer:
                head, rest = self.buffer.split(b"\r\n\r\n", 1)
                length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                                  if line.lower().startswith(b"content-length")))
                if len(rest) >= length:
                    self.buffer = rest[length:]
                    message: dict[str, Any] = json.loads(rest[:length])
                    if "method" in message and "id" in message:  # the server asks: settings, or nothing
                        items = (message.get("params") or {}).get("items", [])
                        result = [SETTINGS["yaml"] for _ in items] if message["method"] == "workspace/configuration" \
                            else None
                        self.send({"id": message["id"], "result": result})
                        continue
                    if "method" in message:
                        self.notifications.append(message)
                    return message
            left = deadline - time.monotonic()
            assert left > 0, "the language server did not answer in time"
            ready, _, _ = select.select([self.process.stdout], [], [], left)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 65536)
                assert chunk, "the language server exited"
                self.buffer += chunk

    def diagnostics(self, uri: str) -> list[dict[str, Any]]:
        """The first non-empty diagnostics published for the document."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            for note in self.notifications:
                if note["method"] == "textDocument/publishDiagnostics" and note["params"]["uri"] == uri \
                        and note["params"]["diagnostics"]:
                    return list(note["params"]["diagnostics"])
            self.receive(timeout=deadline - time.monotonic())
        raise AssertionError("no diagnostics were published")

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


SETTINGS = {"yaml": {"validate": True, "hover": True, "completion": True, "schemaStore": {"enable": False}}}


def position(text: str, needle: str, offset: int = 0) -> dict[str, int]:
    at = text.rindex(needle) + offset  # the last: the header comment shows a claim too
    line = text.count("\n", 0, at)
    return {"line": line, "character": at - (text.rfind("\n", 0, at) + 1)}


def test_the_schema_teaches_in_the_vs_code_yaml_language_server(tmp_path: Path) -> None:
    root = tmp_path / "desk"
    assert run("init", root).exit_code == 0  # claims.yaml names schema/claims.schema.json on its first line
    path = root / "claims.yaml"
    head = path.read_text(encoding="utf-8").split("\nclaims: []", 1)[0]
    text = head + ("\nclaims:\n  - id: weapons-2023\n    text: Azerbaijan is working on more than 800 new weapons.\n"
                   "    claimnt: The minister\n    date: 2023-09-29\n    status: unverified\n")
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client = Client(root)
    try:
        client.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri(), "workspaceFolders": [{"uri": root.as_uri(), "name": "desk"}],
            "capabilities": {"textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]},
                                              "completion": {"completionItem": {"documentationFormat": ["markdown"]}},
                                              "publishDiagnostics": {}},
                             "workspace": {"configuration": True}}})
        client.notify("initialized", {})
        client.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                                "text": text}})
        found = client.diagnostics(uri)
        assert any("claimnt" in d["message"] and d["range"]["start"]["line"] == position(text, "claimnt")["line"]
                   for d in found), found
        hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                      "position": position(text, "status:", 2)})
        shown = json.dumps(hover)
        assert "The verdict. Set it with factcheck status" in shown
        completion = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                                "position": position(text, "status: ", 8)})
        items = completion["items"] if isinstance(completion, dict) else completion
        labels = {item["label"] for item in items}
        assert {"unverified", "supported", "refuted", "misleading", "conflicting", "unverifiable"} <= labels
        refuted = next(item for item in items if item["label"] == "refuted")
        assert "refutes" in json.dumps(refuted.get("documentation", "")) + refuted.get("detail", "")
    finally:
        client.close()
