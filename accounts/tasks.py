from celery import shared_task

from .services import password_reset_email_send


@shared_task
def send_password_reset(user_id: int, domain: str, use_https: bool) -> bool:
    """Safe to run twice: a second e-mail holds a second link, and either resets once."""
    return password_reset_email_send(user_id=user_id, domain=domain, use_https=use_https)
