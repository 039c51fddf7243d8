"""Pages no cache may keep: `Cache-Control: private, no-store`.

A page that shows its viewer's private feed address (a secret that reads their feeds without logging in),
their profile, or the members' directory must not be stored by a shared cache, a proxy or the browser's
disk. Views mark the request with `keep_out_of_caches` (or the `no_store` decorator), wherever in the
page the secret is put; `NoStoreMiddleware` then sets the header on the response.
"""

from functools import wraps

from django.utils.cache import patch_cache_control


def keep_out_of_caches(request):
    request.cercle_no_store = True
    request.cercle_kept_out_for = getattr(request, "cercle_kept_out_for", set()) | {"secret"}


def holds_feed_token(request, token):
    """The page shows the person's private feed address: out of browsers' and proxies' caches, but the
    club's page cache may keep it with the token taken out and put back per person (members/page_cache.py)."""
    request.cercle_no_store = True
    request.cercle_kept_out_for = getattr(request, "cercle_kept_out_for", set()) | {"feed"}
    request.cercle_feed_token = token


def no_store(view):
    @wraps(view)
    def marked(request, *args, **kwargs):
        keep_out_of_caches(request)
        return view(request, *args, **kwargs)

    return marked


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "cercle_no_store", False):
            patch_cache_control(response, private=True, no_store=True)
        return response
