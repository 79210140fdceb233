"""A throwaway certificate authority (trustme) and a loopback server certificate on disk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import trustme


@dataclass(frozen=True)
class CertificateFiles:
    cert: str
    key: str
    ca: str


def loopback_certificate(folder: Path) -> CertificateFiles:
    authority = trustme.CA()
    issued = authority.issue_cert("127.0.0.1", "localhost")
    files = CertificateFiles(str(folder / "cert.pem"), str(folder / "key.pem"), str(folder / "ca.pem"))
    issued.cert_chain_pems[0].write_to_path(files.cert)
    for pem in issued.cert_chain_pems[1:]:
        pem.write_to_path(files.cert, append=True)
    issued.private_key_pem.write_to_path(files.key)
    authority.cert_pem.write_to_path(files.ca)
    return files
