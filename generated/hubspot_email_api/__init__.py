"""A client library for accessing HubSpot email APIs (hubspot-email)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
