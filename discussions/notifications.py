"""Who is told of what (helper B fills this in)."""


def post_written(post_id):
    pass


def solution_marked(post_id, by_id):
    pass


def post_hidden(post_id):
    pass
