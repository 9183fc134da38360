"""An independent verifier for Shikaku's credentials, written from the specifications alone:
W3C vc-di-eddsa (eddsa-jcs-2022), RFC 8785 (the `rfc8785` package), did:key (Multikey, base58btc),
and W3C Bitstring Status List. Ed25519 comes from `cryptography`.

    python verify_credential.py CREDENTIAL PUBLIC_FOLDER

prints one JSON object: whether the proof verifies, and for each status entry whether its list
credential's proof verifies and whether the bit is set.
"""
import base64
import gzip
import hashlib
import json
import sys
from urllib.parse import urlparse

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58_decode(text):
    number = 0
    for character in text:
        number = number * 58 + ALPHABET.index(character)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def did_key_public_key(method):
    did = method.split("#")[0]
    assert did.startswith("did:key:z"), did
    decoded = base58_decode(did[len("did:key:z"):])
    assert decoded[:2] == b"\xed\x01" and len(decoded) == 34, "not an Ed25519 Multikey"
    return Ed25519PublicKey.from_public_bytes(decoded[2:])


def proof_verifies(document):
    document = dict(document)
    proof = dict(document.pop("proof"))
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-jcs-2022"
    value = proof.pop("proofValue")
    if "@context" in proof:
        context = document["@context"]
        assert context[: len(proof["@context"])] == proof["@context"], "proof context is not the document's prefix"
    data = hashlib.sha256(rfc8785.dumps(proof)).digest() + hashlib.sha256(rfc8785.dumps(document)).digest()
    assert value.startswith("z")
    try:
        did_key_public_key(proof["verificationMethod"]).verify(base58_decode(value[1:]), data)
        return True
    except InvalidSignature:
        return False


def status(entry, folder):
    # The public folder is served at the registry's base URL; status lists live under its status/.
    url_path = urlparse(entry["statusListCredential"]).path
    path = folder + url_path[url_path.index("/status/"):]
    with open(path, "rb") as handle:
        list_credential = json.load(handle)
    subject = list_credential["credentialSubject"]
    assert subject["statusPurpose"] == entry["statusPurpose"]
    encoded = subject["encodedList"]
    assert encoded.startswith("u")
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 >= 131072, "status list shorter than 131,072 entries"
    index = int(entry["statusListIndex"])
    return {
        "purpose": entry["statusPurpose"],
        "listProof": proof_verifies(list_credential),
        "set": bool(bits[index // 8] & (0x80 >> (index % 8))),
    }


def main():
    with open(sys.argv[1], "rb") as handle:
        credential = json.load(handle)
    result = {
        "proof": proof_verifies(credential),
        "hash": "sha256:" + hashlib.sha256(rfc8785.dumps(credential)).hexdigest(),
        "status": [status(entry, sys.argv[2]) for entry in credential["credentialStatus"]],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
