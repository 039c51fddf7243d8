"""What the knowledge base's pages show (built out by the knowledge-base work)."""


def knowledge_index(request, index):
    return {}


def knowledge_category(request, category):
    return {}


def knowledge_article(request, article):
    return {}
