"""Drives the real ckanapi client (PyPI) against canned satudata answers.

Usage: ckanapi_peer.py ANSWERS.json OUT.json

ANSWERS.json maps an action name to {"status": int, "body": str}: what satudata's crate answers.
A fake requests session hands those answers to ckanapi.RemoteCKAN, so ckanapi's own request
encoding (POST JSON, or GET params with get_only) and its own error mapping
(reverse_apicontroller_action) run unchanged. OUT.json records what ckanapi sent and what it made
of each answer: the result, or the exception class and its first argument.
"""

import json
import sys
from urllib.parse import urlencode, urlsplit

import ckanapi


class Reply:
    def __init__(self, status, text):
        self.status_code = status
        self.text = text


class Session:
    def __init__(self, answers):
        self.answers = answers
        self.sent = []

    def _reply(self, url):
        action = urlsplit(url).path.rsplit("/", 1)[-1]
        a = self.answers[action]
        return Reply(a["status"], a["body"])

    def post(self, url, data=None, headers=None, files=None, **kwargs):
        body = data.decode("ascii") if isinstance(data, bytes) else data
        self.sent.append({"method": "POST", "path": urlsplit(url).path, "body": body, "headers": dict(headers or {})})
        return self._reply(url)

    def get(self, url, params=None, headers=None, **kwargs):
        query = urlencode(params or {}, doseq=True)
        self.sent.append({"method": "GET", "path": urlsplit(url).path, "query": query, "headers": dict(headers or {})})
        return self._reply(url)

    def close(self):
        pass


def outcome(call):
    try:
        return {"result": call()}
    except ckanapi.errors.CKANAPIError as e:
        first = e.args[0] if e.args else None
        try:
            json.dumps(first)
        except TypeError:
            first = repr(first)
        return {"exception": type(e).__name__, "arg": first}


def main():
    answers = json.load(open(sys.argv[1]))
    session = Session(answers)
    post = ckanapi.RemoteCKAN("http://satudata.test", apikey="sdt_token", session=session)
    get = ckanapi.RemoteCKAN("http://satudata.test", session=session, get_only=True)
    search = {"fq": "organization:dinkes OR organization:disdukcapil", "rows": 100, "start": 0,
              "sort": "id asc", "facet.field": ["organization", "tags"], "include_private": True}
    out = {
        "package_search": outcome(lambda: post.call_action("package_search", search)),
        "package_search_get": outcome(lambda: get.call_action("package_search", search)),
        "package_show": outcome(lambda: post.action.package_show(id="kunjungan-puskesmas")),
        "unknown": outcome(lambda: post.call_action("pakage_show", {"id": "x"})),
        "not_found": outcome(lambda: post.action.organization_show(id="nope")),
        "validation": outcome(lambda: post.action.group_show()),
        "search_query": outcome(lambda: post.action.tag_list()),
        "authorization": outcome(lambda: post.action.resource_show(id="rahasia")),
    }
    out["sent"] = session.sent
    json.dump(out, open(sys.argv[2], "w"), indent=1)


if __name__ == "__main__":
    main()
