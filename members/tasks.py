"""Slow work that leaves the request: sent through django-tasks (immediate in development)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(subject, to, text, html=None, reply_to=None, headers=None):
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to, reply_to=reply_to, headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
