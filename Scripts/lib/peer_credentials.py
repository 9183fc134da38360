"""The Python peer of Scripts/bench-credentials: the same work as shikaku-bench (`cryptography` for
Ed25519, `rfc8785` for JCS): issuing COUNT credentials of the template's registration, each written
afresh with its own UUID, holder's name and status index, signed with eddsa-jcs-2022, and given as
its canonical bytes and their SHA-256 (the credential's hash); then verifying them. One core, ROUNDS rounds (five unless told), medians printed as JSON.

    python peer_credentials.py TEMPLATE.json [COUNT [ROUNDS]]
"""
import hashlib
import json
import statistics
import uuid
import sys
import time

import rfc8785
from cryptography.hazmat.backends.openssl import backend
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58(data):
    number = int.from_bytes(data, "big")
    text = ""
    while number:
        number, digit = divmod(number, 58)
        text = ALPHABET[digit] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


def unbase58(text):
    number = 0
    for character in text:
        number = number * 58 + ALPHABET.index(character)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def hash_data(proof, document):
    return hashlib.sha256(rfc8785.dumps(proof)).digest() + hashlib.sha256(rfc8785.dumps(document)).digest()


def main():
    template = json.load(open(sys.argv[1]))
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    template.pop("proof", None)
    key = Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    multibase = "z" + base58(b"\xed\x01" + raw)
    did = "did:key:" + multibase
    issuer_name = template["issuer"]["name"]
    subject = template["credentialSubject"]
    status_list = template["credentialStatus"][0]["statusListCredential"].rsplit("/status/", 1)[0] + "/status/mhlw/{}/1.json"

    def credential(n):
        lists = [(purpose, status_list.format(purpose)) for purpose in ("revocation", "suspension")]
        return {
            "@context": list(template["@context"]), "id": f"urn:uuid:{uuid.uuid4()}", "type": list(template["type"]),
            "issuer": {"id": did, "name": issuer_name}, "validFrom": template["validFrom"],
            "credentialSubject": {
                "type": subject["type"], "name": f"{subject['name']}{n}", "nameKana": subject["nameKana"],
                "birthDate": subject["birthDate"], "qualification": dict(subject["qualification"]),
            },
            "credentialStatus": [
                {"id": f"{url}#{n}", "type": "BitstringStatusListEntry", "statusPurpose": purpose,
                 "statusListIndex": str(n), "statusListCredential": url}
                for purpose, url in lists
            ],
        }

    def issue():
        out = []
        for n in range(count):
            document = credential(n)
            proof = {
                "type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", "created": "2026-11-25T00:00:00Z",
                "verificationMethod": f"did:key:{multibase}#{multibase}", "proofPurpose": "assertionMethod",
                "@context": document["@context"],
            }
            signature = key.sign(hash_data(proof, document))
            # What issuing gives, as shikaku-bench's does: the signed credential's canonical bytes and their hash.
            signed = rfc8785.dumps(dict(document, proof=dict(proof, proofValue="z" + base58(signature))))
            out.append((signed, hashlib.sha256(signed).digest()))
        return out

    def verify(signed):
        for text, _ in signed:
            document = json.loads(text)
            proof = document.pop("proof")
            value = proof.pop("proofValue")
            method = proof["verificationMethod"].split("#")[0][len("did:key:z"):]
            public = Ed25519PublicKey.from_public_bytes(unbase58(method)[2:])
            public.verify(unbase58(value[1:]), hash_data(proof, document))

    issue_rates, verify_rates = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        signed = issue()
        issue_rates.append(count / (time.perf_counter() - start))
        start = time.perf_counter()
        verify(signed)
        verify_rates.append(count / (time.perf_counter() - start))
    print(json.dumps({"openssl": " ".join(backend.openssl_version_text().split()[:2]), "count": count, "issue1": round(statistics.median(issue_rates)), "verify1": round(statistics.median(verify_rates))}))


if __name__ == "__main__":
    main()
