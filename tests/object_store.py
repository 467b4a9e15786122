"""An S3-API emulator on loopback for the object-store tests: moto's server (`moto[server]`, requirements-dev.txt).

It is an emulator, not Amazon S3: it speaks the S3 API over HTTP on 127.0.0.1 and honours the conditional puts
delta-rs commits with (a second `If-None-Match: *` PUT of one key gets 412), which is what safe concurrent commits
rely on. It runs as a separate process: in the same process as deltalake it deadlocks (deltalake's Rust calls hold
the GIL while waiting for the Python server). One server per test session; each test gets a bucket of its own.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
import uuid
from dataclasses import dataclass

# The emulator takes any key; these are what the store's settings pass, as a real deployment's would.
ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class S3Emulator:
    process: subprocess.Popen
    endpoint: str

    @classmethod
    def start(cls, timeout_seconds: float = 60) -> S3Emulator:
        executable = shutil.which("moto_server")
        if executable is None:
            raise RuntimeError("moto_server is not installed: pip install -r requirements-dev.txt")
        port = free_port()
        process = subprocess.Popen(
            [executable, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        emulator = cls(process, f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"moto_server exited with {process.returncode}")
            try:
                with urllib.request.urlopen(emulator.endpoint, timeout=2):
                    return emulator
            except OSError:
                time.sleep(0.2)
        emulator.stop()
        raise RuntimeError(f"moto_server did not answer within {timeout_seconds} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def storage_options(self) -> dict[str, str]:
        """deltalake's storage options for this server, as AFFILIATE_STORAGE_OPTIONS gives them."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ALLOW_HTTP": "true",
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_REGION": REGION,
        }

    def settings_environment(self) -> dict[str, str]:
        """AFFILIATE_STORE_URL (a new bucket of its own) and AFFILIATE_STORAGE_OPTIONS for one test."""
        bucket = f"insights-{uuid.uuid4().hex[:12]}"
        request = urllib.request.Request(f"{self.endpoint}/{bucket}", method="PUT")
        with urllib.request.urlopen(request, timeout=10):
            pass  # moto creates a bucket on an unsigned PUT of its name
        options = ";".join(f"{name}={value}" for name, value in self.storage_options().items())
        return {"AFFILIATE_STORE_URL": f"s3://{bucket}/insights/store", "AFFILIATE_STORAGE_OPTIONS": options}
