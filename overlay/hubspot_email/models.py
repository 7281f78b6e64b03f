"""The request and response models, generated from the spec (re-exported from `hubspot_email_api`)."""

from hubspot_email_api.models import *  # noqa: F403
from hubspot_email_api.models import __all__ as __all__
