# Schemathesis hooks for scripts/api-fuzz: keep the fuzzer from revoking the API token it
# authenticates with.
#
# `POST /api/v1/tokens/{id}/revoke` is worth fuzzing, but if a generated (or, in the
# stateful phase, a linked) id ever names the fuzzer's own token, every later request is
# answered 401 and the rest of the run reports noise instead of findings. So such a request
# is pointed at an id that names no token; every other revoke goes out as generated.
import os

import schemathesis

OWN_TOKEN_ID = os.environ.get("API_FUZZ_TOKEN_ID", "")
REVOKE_PATH = "/api/v1/tokens/{id}/revoke"


@schemathesis.hook
def before_call(context, case, kwargs):
    if not OWN_TOKEN_ID or case.operation.path != REVOKE_PATH:
        return
    params = case.path_parameters or {}
    if str(params.get("id", "")).strip() == OWN_TOKEN_ID:
        params["id"] = "not-the-fuzzers-own-token"
        case.path_parameters = params
