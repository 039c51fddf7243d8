"""`{% club_userbar %}`: Wagtail's user bar at a few queries (home/userbar.py says how)."""

from django import template
from wagtail.admin.templatetags.wagtailuserbar import get_page_instance

from home.userbar import render_userbar

register = template.Library()


@register.simple_tag(takes_context=True)
def club_userbar(context, position="bottom-right"):
    return render_userbar(context, get_page_instance(context), position)
