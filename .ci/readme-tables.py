#!/usr/bin/env python3
"""Regenerates the README's property and error-code tables from the build's outputs.

Run after `./mvnw -pl idaas-autoconfigure -am compile`; ReadmeTests fails when the README is out of date.
"""
import json
import pathlib
import re

root = pathlib.Path(__file__).resolve().parent.parent
meta = json.loads((root / "idaas-autoconfigure/target/classes/META-INF/spring-configuration-metadata.json").read_text())
bundle = root / "idaas-autoconfigure/src/main/resources/dev/idaas/spring/client"


def props(name):
    out = {}
    for line in (bundle / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("IDAAS.") and "=" in line:
            key, value = line.split("=", 1)
            out[key] = value
    return out


DEFAULTS = {"idaas.id-token.algorithms": "RS256"}
rows = ["| property | default | meaning |", "|---|---|---|"]
for p in meta["properties"]:
    default = p.get("defaultValue", DEFAULTS.get(p["name"]))
    if isinstance(default, bool):
        default = str(default).lower()
    if isinstance(default, list):
        default = ",".join(default)
    shown = f"`{default}`" if default is not None else ""
    description = p.get("description", "").replace("|", "\\|")
    rows.append(f"| `{p['name']}` | {shown} | {description} |")
properties_table = "\n".join(rows)

# What a JSON client receives and what the starter does, per code.
BEHAVIOUR = {
    "IDAAS.SDK.PARAM.0001": ("500", "configuration error: check the device headers; not retried"),
    "IDAAS.SDK.PARAM.0002": ("500", "configuration error: set idaas.client-id; not retried"),
    "IDAAS.SDK.PARAM.0003": ("500", "configuration error: wrong client id; not retried"),
    "IDAAS.SDK.PARAM.0004": ("400", "bind/register input refused; the user may try again"),
    "IDAAS.SDK.PARAM.0011": ("400", "login fails; the user signs in again (a code is single-use)"),
    "IDAAS.SDK.PARAM.0016": ("410", "the pending bind/register flow ends; sign in again"),
    "IDAAS.SDK.PARAM.0017": ("400", "wrong verification code; counts toward the 5 tries"),
    "IDAAS.SDK.PARAM.0022": ("401", "signed out"),
    "IDAAS.SDK.PARAM.0023": ("401", "re-reads the session (another node may have rotated the token), else signs out"),
    "IDAAS.SDK.COM.0002": ("503", "retried with backoff; a still-valid id_token keeps the user signed in"),
    "IDAAS.SDK.USER.0001": ("400", "bind finds no account; the user may try another"),
    "IDAAS.SDK.USER.0002": ("409", "register finds an existing account"),
    "IDAAS.SDK.USER.0039": ("403", "login fails"),
    "IDAAS.STARTER.UPSTREAM_UNAVAILABLE": ("503", "retried; the user stays signed in"),
    "IDAAS.STARTER.UPSTREAM_TIMEOUT": ("503", "never retried (the outcome is unknown); the user stays signed in"),
    "IDAAS.STARTER.MALFORMED_RESPONSE": ("502", "not retried; the raw status is kept for the logs"),
    "IDAAS.STARTER.INVALID_HEADER": ("400", "refused before anything is sent"),
    "IDAAS.STARTER.INVALID_CODE": ("400", "refused before anything is sent"),
    "IDAAS.STARTER.ACCESS_DENIED": ("401", "login refused"),
    "IDAAS.STARTER.INVALID_ID_TOKEN": ("401", "login refused / refresh not accepted"),
    "IDAAS.STARTER.INVALID_STATE": ("400", "Apple callback refused"),
    "IDAAS.STARTER.SESSION_EXPIRED": ("401", "signed out without calling IDaaS"),
    "IDAAS.STARTER.UNAUTHENTICATED": ("401", "JSON requests that need a signed-in user"),
    "IDAAS.STARTER.SUBJECT_CHANGED": ("401", "a refreshed id_token named another user: signed out"),
    "IDAAS.STARTER.UNKNOWN_ERROR": ("401", "anything else"),
    "IDAAS.STARTER.INVALID_VERIFICATION": ("400", "bind/register input refused before sending"),
    "IDAAS.STARTER.METHOD_NOT_ALLOWED": ("403", "the tenant does not allow that verification method"),
    "IDAAS.STARTER.FLOW_EXPIRED": ("410", "the pending flow is older than idaas.login.pending-flow-timeout"),
    "IDAAS.STARTER.NO_PENDING_FLOW": ("409", "no bind/register flow in this session"),
    "IDAAS.STARTER.TOO_MANY_ATTEMPTS": ("410", "5 wrong codes: the flow is removed"),
    "IDAAS.STARTER.TOO_MANY_CODES": ("429", "code send refused without calling IDaaS (idaas.login.max-code-sends, code-resend-interval); Retry-After in seconds"),
}
en, zh = props("messages.properties"), props("messages_zh.properties")
rows = ["| code | English | 中文 | HTTP (JSON) | what the starter does |", "|---|---|---|---|---|"]
for code, text in en.items():
    status, action = BEHAVIOUR.get(code, ("", ""))
    rows.append(f"| `{code}` | {text} | {zh.get(code, '')} | {status} | {action} |")
errors_table = "\n".join(rows)

readme = (root / "README.md").read_text(encoding="utf-8")
for name, table in (("properties", properties_table), ("errors", errors_table)):
    readme = re.sub(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", lambda m: m.group(1) + table + "\n" + m.group(2),
                    readme, flags=re.S)
(root / "README.md").write_text(readme, encoding="utf-8")
print("README tables regenerated")
