"""The discussions' part of "Mes données" and of anonymisation (helper D fills this in)."""


def register():
    pass
