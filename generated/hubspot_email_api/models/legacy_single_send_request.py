from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.legacy_message import LegacyMessage
    from ..models.name_value_pair import NameValuePair


T = TypeVar("T", bound="LegacySingleSendRequest")


@_attrs_define
class LegacySingleSendRequest:
    """A legacy single-send request. Property lists are arrays of name/value pairs, not maps."""

    email_id: int
    """ The content id of the transactional email, found in the email tool's interface. """
    message: LegacyMessage
    """ The recipient and other customisations. At the minimum, `to` must be present. """
    contact_properties: list[NameValuePair] | Unset = UNSET
    """ Contact property values to set on the contact record, visible in the template as `{{ contact.NAME }}`. """
    custom_properties: list[NameValuePair] | Unset = UNSET
    """ Values visible in the template as `{{ custom.NAME }}`; not stored in HubSpot. Arrays are
    not supported: pass a list as an HTML snippet.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        email_id = self.email_id

        message = self.message.to_dict()

        contact_properties: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.contact_properties, Unset):
            contact_properties = []
            for contact_properties_item_data in self.contact_properties:
                contact_properties_item = contact_properties_item_data.to_dict()
                contact_properties.append(contact_properties_item)

        custom_properties: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.custom_properties, Unset):
            custom_properties = []
            for custom_properties_item_data in self.custom_properties:
                custom_properties_item = custom_properties_item_data.to_dict()
                custom_properties.append(custom_properties_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "emailId": email_id,
                "message": message,
            }
        )
        if contact_properties is not UNSET:
            field_dict["contactProperties"] = contact_properties
        if custom_properties is not UNSET:
            field_dict["customProperties"] = custom_properties

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.legacy_message import LegacyMessage  # noqa: PLC0415
        from ..models.name_value_pair import NameValuePair  # noqa: PLC0415

        d = dict(src_dict)
        email_id = d.pop("emailId")

        message = LegacyMessage.from_dict(d.pop("message"))

        _contact_properties = d.pop("contactProperties", UNSET)
        contact_properties: list[NameValuePair] | Unset = UNSET
        if _contact_properties is not UNSET:
            contact_properties = []
            for contact_properties_item_data in _contact_properties:
                contact_properties_item = NameValuePair.from_dict(
                    contact_properties_item_data
                )

                contact_properties.append(contact_properties_item)

        _custom_properties = d.pop("customProperties", UNSET)
        custom_properties: list[NameValuePair] | Unset = UNSET
        if _custom_properties is not UNSET:
            custom_properties = []
            for custom_properties_item_data in _custom_properties:
                custom_properties_item = NameValuePair.from_dict(
                    custom_properties_item_data
                )

                custom_properties.append(custom_properties_item)

        legacy_single_send_request = cls(
            email_id=email_id,
            message=message,
            contact_properties=contact_properties,
            custom_properties=custom_properties,
        )

        legacy_single_send_request.additional_properties = d
        return legacy_single_send_request

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
