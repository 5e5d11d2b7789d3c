"""Signing and verification speed of one Open Badges 3.0 credential with the eddsa-rdfc-2022 cryptosuite.

Target: >= 100 verifications per second on ONE core, every step done (context check, RDFC-1.0 canonicalisation
of the document and of the proof configuration, dropped-term check, sha256, Ed25519).

    .venv/bin/python bench/credentials_verify.py   # 500 verifications -> bench/results/credentials_verify.json
    .venv/bin/python bench/credentials_verify.py -n 2000 --profile

The credential is about the size of 1EdTech's `simple.json` fixture, with a BitstringStatusListEntry and a
handful of achievement and result fields. A fresh key signs it once per run; the same process then signs it
N/5 times and verifies it N times with one shared loader (contexts are processed once, as in the server).
No network, no Django.

Then the same through the platform (`--platform`, on by default): `cqp.credentials.verification.verify_credential`
on a credential signed by the platform's own key (did:web, public key read from the database) whose status entry
points at one of its status lists: proof + status + the award lookup, as `/verify/` does, on a fresh SQLite
database (`bench/data/credentials_verify.sqlite3`). Same target.
"""

import argparse
import cProfile
import json
import os
import platform
import pstats
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from cqp.credentials.vc.loader import default_loader  # noqa: E402
from cqp.credentials.vc.multibase import encode_public_key  # noqa: E402
from cqp.credentials.vc.proof import sign, verify  # noqa: E402
from cqp.credentials.vc.status_list import status_entry  # noqa: E402

TARGET_PER_S = 100
RESULTS = ROOT / "bench" / "results" / "credentials_verify.json"
ISSUER = "https://cqp.example.org/organismes/42"
STATUS_LIST = "https://cqp.example.org/statut/1"


def credential() -> dict:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "https://cqp.example.org/attestations/0f6b2c1e-7d4a-4e55-9a51-2f3d7c1b8e90",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": ISSUER, "type": ["Profile"], "name": "Branche de la métallurgie"},
        "validFrom": "2026-06-30T00:00:00Z",
        "name": "CQP Soudeur industriel",
        "credentialSubject": {
            "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
            "type": ["AchievementSubject"],
            "activityEndDate": "2026-06-15T00:00:00Z",
            "achievement": {
                "id": "https://cqp.example.org/certifications/RNCP37674",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "criteria": {"narrative": "Évaluation en situation de travail et entretien avec le jury paritaire."},
                "description": "Certificat de qualification professionnelle de soudeur industriel.",
                "name": "Soudeur industriel",
                "humanCode": "RNCP37674",
                "fieldOfStudy": "Soudage",
                "creator": {"id": ISSUER, "type": ["Profile"], "name": "Branche de la métallurgie"},
                "resultDescription": [
                    {
                        "id": "https://cqp.example.org/certifications/RNCP37674#decision",
                        "type": ["ResultDescription"],
                        "name": "Décision du jury",
                        "resultType": "Status",
                    }
                ],
            },
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": "https://cqp.example.org/certifications/RNCP37674#decision",
                    "status": "Completed",
                },
            ],
        },
        "credentialStatus": status_entry(list_url=STATUS_LIST, index=94567),
    }


def platform_verify(n: int) -> dict:
    """verify_credential (proof + status + award lookup) on a fresh SQLite database, platform key and list."""
    database = ROOT / "bench" / "data" / "credentials_verify.sqlite3"
    database.parent.mkdir(parents=True, exist_ok=True)
    for path in database.parent.glob(database.name + "*"):
        path.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from cqp.credentials import keys, openbadges
    from cqp.credentials.models import StatusList
    from cqp.credentials.services import _sign, status_list_publish
    from cqp.credentials.verification import State, verify_credential

    key_file = database.parent / "credentials_verify_key.json"
    key_file.unlink(missing_ok=True)
    settings.CQP_SIGNING_KEY_FILE = key_file
    keys.key_create()
    row = StatusList.objects.create(size=settings.CQP_STATUS_LIST_SIZE, bits=bytes(settings.CQP_STATUS_LIST_SIZE // 8))
    status_list_publish(status_list_row=row)
    document = credential()
    document["id"] = "urn:uuid:0f6b2c1e-7d4a-4e55-9a51-2f3d7c1b8e90"
    document["issuer"]["id"] = document["credentialSubject"]["achievement"]["creator"]["id"] = keys.issuer_did()
    document["credentialStatus"] = status_entry(list_url=openbadges.status_list_url(row), index=94567)
    signed, _key = _sign(document)
    text = json.dumps(signed)
    report = verify_credential(text)
    if report.state != State.VALID or not report.status_checked:
        raise SystemExit(f"the platform credential does not verify: {report.problems} {report.notes}")
    started = time.perf_counter()
    for _ in range(n):
        if verify_credential(text).state != State.VALID:
            raise SystemExit("a verification failed")
    elapsed = time.perf_counter() - started
    return {"per_s": round(n / elapsed, 1), "ms": round(1000 * elapsed / n, 2)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=500, help="verifications (default 500)")
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of the verifications")
    parser.add_argument("--no-platform", action="store_true", help="skip the measure through the platform")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    key = Ed25519PrivateKey.generate()
    method = f"{ISSUER}#{encode_public_key(key.public_key())}"
    public = key.public_key()

    def resolve(url):
        return public if url == method else None

    loader = default_loader()
    unsigned = credential()
    started = time.perf_counter()
    signed = sign(unsigned, private_key=key, verification_method=method, loader=loader)
    first_sign_ms = (time.perf_counter() - started) * 1000
    first = verify(signed, resolve_key=resolve, loader=loader)
    if not first.ok:
        raise SystemExit(f"the benchmark credential does not verify: {first.errors}")

    signs = max(20, args.n // 5)
    started = time.perf_counter()
    for _ in range(signs):
        sign(unsigned, private_key=key, verification_method=method, loader=loader)
    sign_per_s = signs / (time.perf_counter() - started)

    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    started = time.perf_counter()
    for _ in range(args.n):
        if not verify(signed, resolve_key=resolve, loader=loader).ok:
            raise SystemExit("a verification failed")
    elapsed = time.perf_counter() - started
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    per_s = args.n / elapsed

    platform_result = None if args.no_platform else platform_verify(args.n)
    met = per_s >= TARGET_PER_S and (platform_result is None or platform_result["per_s"] >= TARGET_PER_S)
    print(
        f"credential: {len(json.dumps(signed))} bytes of JSON, first signature {first_sign_ms:.0f} ms (contexts loaded)"
    )
    print(f"{sign_per_s:8.1f} signatures per second ({signs})")
    print(f"{per_s:8.1f} verifications per second ({args.n}), proof only, target >= {TARGET_PER_S}/s")
    if platform_result:
        print(
            f"{platform_result['per_s']:8.1f} verifications per second through the platform (proof + status + award), "
            f"target >= {TARGET_PER_S}/s"
        )
    print("target met" if met else "target MISSED")
    result = {
        "benchmark": "credentials_verify",
        "target_per_s": TARGET_PER_S,
        "met": met,
        "per_s": round(per_s, 1),
        "n": args.n,
        "ms_per_verification": round(1000 / per_s, 2),
        "sign_per_s": round(sign_per_s, 1),
        "sign_n": signs,
        "credential_bytes": len(json.dumps(signed)),
        "platform_per_s": platform_result and platform_result["per_s"],
        "platform_ms_per_verification": platform_result and platform_result["ms"],
        "python": platform.python_version(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
