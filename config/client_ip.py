"""The client's address, behind the club's reverse proxies or not.

Behind a proxy every request comes from the proxy's address: django-axes would lock everyone out at once
after five wrong passwords, and the password-reset limit would count the whole club as one person. The
proxies in front of Cercle append the address they received from to `X-Forwarded-For`; with
`TRUSTED_PROXY_COUNT` proxies, the address the first of them saw is the one that many places from the
right. Whatever a client writes itself into the header sits further left and is ignored, so it cannot
choose the address it is counted under. With no trusted proxy (the default), the header is not read at all.
"""

from django.conf import settings


def client_ip(request):
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR") or None
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote  # not through all the proxies: the connection's own address
    return hops[-proxies]
