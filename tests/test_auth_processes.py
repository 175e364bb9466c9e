"""Three processes share one auth file whose access token expired: exactly one refresh, all succeed.

The FakeIssuer runs in this process behind a real loopback HTTP server
(``chatgpt_sdk._fake.server.serve``); each child builds its own ``FileTokenProvider`` pointed at it.
A file barrier lines the children up, and the issuer takes 0.5 s per refresh, so the other two
children are certainly waiting on the lock file while the first one refreshes.
"""

from __future__ import annotations

import json
from pathlib import Path

from process_support import release, results_of, start_children

from chatgpt_sdk._fake.issuer import FakeIssuer
from chatgpt_sdk._fake.server import serve
from chatgpt_sdk.auth._credentials import jwt_claims

CHILD = """
import json, sys, time
from pathlib import Path
from chatgpt_sdk.auth import FileTokenProvider

directory, issuer, name = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
provider = FileTokenProvider(directory, issuer=issuer)
(directory / f"ready-{name}").touch()
while not (directory / "go").exists():
    time.sleep(0.005)
started = time.monotonic()
creds = provider.credentials()
print(json.dumps({"token": creds.access_token, "seconds": time.monotonic() - started}))
"""


def test_three_processes_refresh_once(tmp_path: Path) -> None:
    issuer = FakeIssuer(refresh_delay=2.0)  # a wide window, so a late child still overlaps
    tokens = issuer.issue_tokens(access_token_ttl=-60)
    exp = jwt_claims(tokens["access_token"])["exp"]
    (tmp_path / "auth.json").write_text(json.dumps({**tokens, "expires_at": exp}))
    with serve(issuer.handle) as server:
        arguments = [[str(tmp_path), server.url, str(n)] for n in range(3)]
        children = start_children(CHILD, arguments, tmp_path)
        release(tmp_path)
        results = results_of(children, timeout=30)
    assert issuer.refresh_calls == 1
    assert len({r["token"] for r in results}) == 1
    assert issuer.is_valid_access_token(results[0]["token"])
    saved = json.loads((tmp_path / "auth.json").read_text())
    assert saved["access_token"] == results[0]["token"]
    assert issuer.refresh_token_state(saved["refresh_token"]) == "live"
    # The waiters really overlapped the refresh: two children spent over half of it waiting
    # (a 1 s margin for a child scheduled late on a loaded machine).
    assert sorted(r["seconds"] for r in results)[1] >= 1.0
