# Schemathesis hooks for scripts/api-fuzz.
#
# 1. What the document's own formats mean. The API states most of its rules as JSON Schema
#    (lengths, patterns, enums, `format: date`), but five kinds of value have rules no regular
#    expression states exactly, so the document names them with formats of its own and
#    describes them in words: `phone`, `email-address`, `money`, `local-datetime` and
#    `encoding-label` (see the descriptions in /api/v1/openapi.json and
#    crates/web/src/api_doc.rs). A generator that does not know a format makes up any string
#    for it; these strategies tell schemathesis what the formats mean, so the values it sends
#    as valid are valid. They draw a sample of each format, not every spelling the server reads.
#
# 2. An order's delivery date is on or after its order date. The document says so in words
#    (OrderInput.delivery_date), as JSON Schema cannot compare two properties; a generator that
#    draws the two dates independently sends, as valid, orders delivered before they were
#    ordered. So a delivery date before the order date (today when that is blank, as the server
#    reads it) goes out as the order date, or blank; everything else goes out as generated.
#
# 3. A promise's day, a snoozed task's day and a comfort greeting's day are today or later by the server's clock (in
#    Asia/Shanghai). The document says so in words (PromiseInput.due_date, SnoozeInput.until),
#    as JSON Schema cannot compare a date with today; a generator that draws any date sends,
#    as valid, days long past. So a date before today goes out as today; everything else
#    goes out as generated.
#
# 4. A message template must render (TemplateInput: minijinja, known fields only; the
#    document says so in words). A generator that draws any text sends, as valid, text that
#    happens to open a tag (`{{`, `{%`, `{#`) and then does not close it or names no field. So
#    in a template's subject and body such an opening brace goes out as `(`, which keeps the
#    text's length and what it may hold; text without openings renders as it is. What does
#    not render is refused, which tests/it/delivery.rs tests.
#
# 5. Keep the fuzzer from revoking the API token it authenticates with.
#    `POST /api/v1/tokens/{id}/revoke` is worth fuzzing, but if a generated (or, in the
#    stateful phase, a linked) id ever names the fuzzer's own token, every later request is
#    answered 401 and the rest of the run reports noise instead of findings. So such a request
#    is pointed at an id that names no token; every other revoke goes out as generated.
import datetime
import os
import re

import schemathesis
from hypothesis import strategies as st

digits = lambda n: st.text("0123456789", min_size=n, max_size=n)  # noqa: E731

# Chinese mobiles, landlines with their area codes and a dash (3-digit 010/02x with 8 digits,
# 4-digit with 7 or 8), 400/800 service numbers; or blank.
mobile = st.builds(lambda b, rest: f"1{b}{rest}", st.sampled_from("3456789"), digits(9))
landline = st.one_of(
    st.builds(lambda a, n: f"0{a}-{n}", st.sampled_from(["10", "21", "20", "25"]), digits(8)),
    st.builds(
        lambda a, n: f"0{a}-{n}",
        st.sampled_from(["755", "571", "512", "898"]),
        st.one_of(digits(7), digits(8)),
    ),
)
service = st.builds(lambda p, a, b: f"{p}-{a}-{b}", st.sampled_from(["400", "800"]), digits(3), digits(4))
schemathesis.openapi.format("phone", st.one_of(st.just(""), mobile, landline, service))

# local@domain: a local part of letters, digits and dots inside, labels of letters and
# digits with inner hyphens, a top-level domain of letters; or blank.
word = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
label = st.builds(
    lambda a, b: f"{a}-{b}" if b else a,
    word,
    st.one_of(st.just(""), word),
)
tld = st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=6)
email = st.builds(
    lambda local, labels, top: f"{local}@{'.'.join(labels)}.{top}",
    st.builds(lambda a, b: f"{a}.{b}" if b else a, word, st.one_of(st.just(""), word)),
    st.lists(label, min_size=1, max_size=3),
    tld,
)
schemathesis.openapi.format("email-address", st.one_of(st.just(""), email))


# Yuan with up to two decimals, plain, grouped by thousands, with ¥ or 元; well under the
# largest price the document states.
def money_text(yuan, fen, style):
    number = f"{yuan:,}" if style == "grouped" else str(yuan)
    if fen is not None:
        number += f".{fen:02d}"
    return {"yen": f"¥{number}", "yuan": f"{number}元"}.get(style, number)


schemathesis.openapi.format(
    "money",
    st.builds(
        money_text,
        st.integers(0, 10_000_000),
        st.one_of(st.none(), st.integers(0, 99)),
        st.sampled_from(["plain", "grouped", "yen", "yuan"]),
    ),
)

# A time in Shanghai (which keeps no summer time): YYYY-MM-DD HH:MM, with T, with seconds.
schemathesis.openapi.format(
    "local-datetime",
    st.builds(
        lambda t, sep, seconds: t.strftime(f"%Y-%m-%d{sep}%H:%M" + (":%S" if seconds else "")),
        st.datetimes(
            min_value=datetime.datetime(1900, 1, 1),
            max_value=datetime.datetime(2100, 12, 31),
        ),
        st.sampled_from([" ", "T"]),
        st.booleans(),
    ),
)

# Text encodings the CSV reader knows, by some of their WHATWG labels.
schemathesis.openapi.format(
    "encoding-label",
    st.sampled_from(["utf-8", "UTF-8", "gbk", "gb18030", "utf-16le", "big5", "latin1"]),
)

OWN_TOKEN_ID = os.environ.get("API_FUZZ_TOKEN_ID", "")
REVOKE_PATH = "/api/v1/tokens/{id}/revoke"


ORDER_PATHS = {"/api/v1/orders", "/api/v1/orders/{id}"}
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def deliver_after_ordering(body):
    ordered, delivered = body.get("order_date", ""), body.get("delivery_date", "")
    if not isinstance(delivered, str) or not DATE.fullmatch(delivered):
        return
    if ordered == "":
        if delivered < datetime.datetime.now(SHANGHAI).date().isoformat():
            body["delivery_date"] = ""
    elif isinstance(ordered, str) and DATE.fullmatch(ordered) and delivered < ordered:
        body["delivery_date"] = ordered


# The property of each body that is a day from today on.
DAY_FROM_TODAY = {
    ("POST", "/api/v1/promises"): "due_date",
    ("POST", "/api/v1/tasks/{id}/snooze"): "until",
    ("POST", "/api/v1/customers/{id}/comfort"): "date",
}


def not_before_today(body, key):
    day = body.get(key)
    if not isinstance(day, str) or not DATE.fullmatch(day):
        return
    today = datetime.datetime.now(SHANGHAI).date().isoformat()
    if day < today:
        body[key] = today


TEMPLATE_PATHS = {"/api/v1/templates/{kind}/{lang}", "/api/v1/templates/{kind}/{lang}/preview"}
TAG_OPENING = re.compile(r"\{(?=[{%#])")


def no_tag_openings(body):
    for key in ("subject", "body"):
        text = body.get(key)
        if isinstance(text, str):
            body[key] = TAG_OPENING.sub("(", text)


@schemathesis.hook
def before_call(context, case, kwargs):
    op = case.operation
    if op.path in ORDER_PATHS and isinstance(case.body, dict):
        deliver_after_ordering(case.body)
        return
    day_key = DAY_FROM_TODAY.get((op.method.upper(), op.path))
    if day_key and isinstance(case.body, dict):
        not_before_today(case.body, day_key)
        return
    if op.path in TEMPLATE_PATHS and isinstance(case.body, dict):
        no_tag_openings(case.body)
        return
    if not OWN_TOKEN_ID or case.operation.path != REVOKE_PATH:
        return
    params = case.path_parameters or {}
    if str(params.get("id", "")).strip() == OWN_TOKEN_ID:
        params["id"] = "not-the-fuzzers-own-token"
        case.path_parameters = params
