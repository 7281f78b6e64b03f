from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.attendee_by_email_contact_properties import (
        AttendeeByEmailContactProperties,
    )
    from ..models.attendee_by_email_properties import AttendeeByEmailProperties


T = TypeVar("T", bound="AttendeeByEmail")


@_attrs_define
class AttendeeByEmail:
    """One attendee, by email address."""

    email: str
    """ The attendee's email address. """
    interaction_date_time: int
    """ When the attendee registered, attended or cancelled, in epoch MILLISECONDS. """
    properties: AttendeeByEmailProperties
    """ Event properties for this attendee (for `attend`, `joinedAt` and `leftAt`). """
    contact_properties: AttendeeByEmailContactProperties
    """ Contact properties, applied only when the contact is newly created. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        interaction_date_time = self.interaction_date_time

        properties = self.properties.to_dict()

        contact_properties = self.contact_properties.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "email": email,
                "interactionDateTime": interaction_date_time,
                "properties": properties,
                "contactProperties": contact_properties,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attendee_by_email_contact_properties import (
            AttendeeByEmailContactProperties,  # noqa: PLC0415
        )
        from ..models.attendee_by_email_properties import AttendeeByEmailProperties  # noqa: PLC0415

        d = dict(src_dict)
        email = d.pop("email")

        interaction_date_time = d.pop("interactionDateTime")

        properties = AttendeeByEmailProperties.from_dict(d.pop("properties"))

        contact_properties = AttendeeByEmailContactProperties.from_dict(
            d.pop("contactProperties")
        )

        attendee_by_email = cls(
            email=email,
            interaction_date_time=interaction_date_time,
            properties=properties,
            contact_properties=contact_properties,
        )

        attendee_by_email.additional_properties = d
        return attendee_by_email

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
