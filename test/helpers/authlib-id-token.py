# authlib's OpenID Connect client side: validates an ID token the way an authlib relying party does
# (authlib.jose signature check against the provider's JWKS, then CodeIDToken's claim checks:
# iss, aud, azp, exp, iat, nonce, at_hash). Argument: JSON { idToken, jwks, issuer, clientId,
# nonce, accessToken }. Prints JSON: { "claims": {...} } or { "error": "<authlib's error>" }.
import json
import sys

from authlib.jose import JsonWebKey, JsonWebToken
from authlib.jose.errors import JoseError
from authlib.oidc.core import CodeIDToken

args = json.loads(sys.argv[1])
try:
    keys = JsonWebKey.import_key_set(args["jwks"])
    jwt = JsonWebToken(["RS256", "ES256"])
    claims = jwt.decode(
        args["idToken"],
        keys,
        claims_cls=CodeIDToken,
        claims_options={"iss": {"values": [args["issuer"]]}, "aud": {"values": [args["clientId"]]}},
        claims_params={"nonce": args["nonce"], "client_id": args["clientId"], "access_token": args.get("accessToken")},
    )
    claims.validate()
    print(json.dumps({"claims": dict(claims)}))
except JoseError as err:
    print(json.dumps({"error": f"{err.error}: {err.description}"}))
