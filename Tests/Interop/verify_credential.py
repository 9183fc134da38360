"""An independent verifier for Shikaku's credentials, written from the specifications alone:
W3C vc-di-eddsa (eddsa-jcs-2022), RFC 8785 (the `rfc8785` package), did:key (Multikey, base58btc),
C2SP signed-note verifier keys, and W3C Bitstring Status List. Ed25519 comes from `cryptography`.

    python verify_credential.py CREDENTIAL PUBLIC_FOLDER [VKEY]

trusts one thing: the registry's key, VKEY (the log.vkey text you got from the registry itself), or else
the folder's log.vkey. With it, it checks the folder's trust-list.json, and from the trust list alone
decides which keys speak for which authority: neither a credential nor a status list is trusted about
itself. It prints one JSON object: whether the credential's proof verifies, whether the trust list vouches
for its key, and for each status entry whether its list credential verifies under a key the trust list
gives the credential's authority, and whether the bit is set. A trust list that does not verify under
the registry's key stops it (exit 1).
"""
import base64
import gzip
import hashlib
import json
import sys
from datetime import datetime
from urllib.parse import urlparse

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
TRUST_LIST_FORMAT = "shikaku-trust-list/2"


def base58_decode(text):
    number = 0
    for character in text:
        number = number * 58 + ALPHABET.index(character)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def did_key_bytes(method):
    """The raw Ed25519 key a did:key (or one of its verification methods) names: multicodec 0xed01."""
    did = method.split("#")[0]
    assert did.startswith("did:key:z"), did
    decoded = base58_decode(did[len("did:key:z"):])
    assert decoded[:2] == b"\xed\x01" and len(decoded) == 34, "not an Ed25519 Multikey"
    return decoded[2:]


def vkey_bytes(vkey):
    """The raw Ed25519 key of a C2SP signed-note verifier key: name+hexid+base64(0x01 || key)."""
    name, key_id, data = vkey.strip().split("+", 2)
    decoded = base64.b64decode(data)
    assert len(decoded) == 33 and decoded[0] == 0x01, "not an Ed25519 note verifier key"
    return decoded[1:]


def proof_verifies(document, key_bytes):
    """Whether the eddsa-jcs-2022 proof of `document` verifies under `key_bytes` (vc-di-eddsa §3.3.2)."""
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
        Ed25519PublicKey.from_public_bytes(key_bytes).verify(base58_decode(value[1:]), data)
        return True
    except InvalidSignature:
        return False


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def trust_list(folder, vkey):
    """The authorities of the folder's trust list, after checking it is signed by the registry's key."""
    with open(folder + "/trust-list.json", "rb") as handle:
        document = json.load(handle)
    registry_key = vkey_bytes(vkey)
    if did_key_bytes(document["proof"]["verificationMethod"]) != registry_key or not proof_verifies(document, registry_key):
        sys.exit("trust-list.json is not signed by the registry's key")
    assert "ShikakuTrustList" in document["type"], "not a ShikakuTrustList"
    subject = document["credentialSubject"]
    assert subject["format"] == TRUST_LIST_FORMAT, subject.get("format")
    return subject["authorities"]


def trusted(authorities, document, authority=None):
    """The trust list's entry of the authority whose key made `document`'s proof inside its window (of
    `authority`, when given), and that key; or (None, None)."""
    proof = document["proof"]
    did = proof["verificationMethod"].split("#")[0]
    created = instant(proof["created"])
    for entry in authorities:
        if authority is not None and entry["identifier"] != authority:
            continue
        for key in entry["keys"]:
            until = key.get("validUntil")
            if key["id"] == did and instant(key["validFrom"]) <= created and (until is None or created <= instant(until)):
                return entry, did_key_bytes(key["id"])
    return None, None


def status(entry, folder, authorities, authority):
    # The public folder is served at the registry's base URL; status lists live under its status/.
    url_path = urlparse(entry["statusListCredential"]).path
    path = folder + url_path[url_path.index("/status/"):]
    with open(path, "rb") as handle:
        list_credential = json.load(handle)
    subject = list_credential["credentialSubject"]
    purposes = subject["statusPurpose"]
    assert entry["statusPurpose"] in (purposes if isinstance(purposes, list) else [purposes])
    encoded = subject["encodedList"]
    assert encoded.startswith("u")
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 >= 131072, "status list shorter than 131,072 entries"
    index = int(entry["statusListIndex"])
    # The list's key must be one the trust list gives the credential's authority, not whichever it names.
    _, key = trusted(authorities, list_credential, authority) if authority else (None, None)
    return {
        "purpose": entry["statusPurpose"],
        "listProof": key is not None and proof_verifies(list_credential, key),
        "set": bool(bits[index // 8] & (0x80 >> (index % 8))),
    }


def main():
    credential_path, folder = sys.argv[1], sys.argv[2]
    if len(sys.argv) > 3:
        vkey = sys.argv[3]
    else:
        with open(folder + "/log.vkey") as handle:
            vkey = handle.read()
    with open(credential_path, "rb") as handle:
        credential = json.load(handle)
    authorities = trust_list(folder, vkey)
    issuer, _ = trusted(authorities, credential)
    code = credential["credentialSubject"]["qualification"]["code"]
    result = {
        # did:key names its own key: the signature is checked under it, and whether to trust it is the next field.
        "proof": proof_verifies(credential, did_key_bytes(credential["proof"]["verificationMethod"])),
        "issuerTrusted": issuer is not None and code in issuer["qualifications"],
        "hash": "sha256:" + hashlib.sha256(rfc8785.dumps(credential)).hexdigest(),
        "status": [
            status(entry, folder, authorities, issuer and issuer["identifier"]) for entry in credential["credentialStatus"]
        ],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
