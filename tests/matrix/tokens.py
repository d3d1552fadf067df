"""The API-token settings pages × role (run by tests/api/test_matrix.py): everyone manages their
own tokens; a token of v11_disc is revoked by its owner or county staff, 404 for anyone else;
everyone's tokens are listed for county staff only (403 otherwise)."""

from tests.matrix import Route

APP = "tokens"

PAGE = {"v11_disc": 200, "t1_disc": 200, "t1_party": 200, "staff": 200, "t2_disc": 200, "nobody": 200}

ROUTES = [
    Route("list", expect=PAGE),
    Route("create", "POST", data={"name": "钉钉", "days": "30"}, expect=PAGE),
    Route("revoke", "POST", kwargs={"pk": "token"},
          expect={"v11_disc": 302, "staff": 302, "t1_disc": 404, "t1_party": 404, "t2_disc": 404, "nobody": 404}),
    Route("all", expect={"staff": 200, "v11_disc": 403, "t1_disc": 403, "t1_party": 403, "t2_disc": 403, "nobody": 403}),
]


def setup(county) -> dict:
    from api.models import ApiToken

    token, _secret = ApiToken.issue(county.v11_disc, "移动端")
    return {"token": token.pk}
