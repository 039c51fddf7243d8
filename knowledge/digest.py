"""The weekly digest of the technology watch (written by the digest's owner; placeholder until then)."""


def unsubscribe(request, token):
    raise NotImplementedError
