from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.single_send_message import SingleSendMessage
    from ..models.single_send_request_contact_properties import (
        SingleSendRequestContactProperties,
    )
    from ..models.single_send_request_custom_properties import (
        SingleSendRequestCustomProperties,
    )


T = TypeVar("T", bound="SingleSendRequest")


@_attrs_define
class SingleSendRequest:
    """A request to send a single email asynchronously."""

    email_id: int
    """ The content id of the email, found in the email tool's interface. """
    message: SingleSendMessage
    """ The recipient and anything else to override on the published email. `to` is required. """
    contact_properties: SingleSendRequestContactProperties | Unset = UNSET
    """ Contact property values, by property name. Each is set on the contact record and is visible
    in the template as `{{ contact.NAME }}` (e.g. set `last_paid_date` when sending a receipt).
     """
    custom_properties: SingleSendRequestCustomProperties | Unset = UNSET
    """ Values visible in the template as `{{ custom.NAME }}`, by name. Arrays are not supported: to
    show a list, build an HTML list or table and pass it as one value.
     """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        email_id = self.email_id

        message = self.message.to_dict()

        contact_properties: dict[str, Any] | Unset = UNSET
        if not isinstance(self.contact_properties, Unset):
            contact_properties = self.contact_properties.to_dict()

        custom_properties: dict[str, Any] | Unset = UNSET
        if not isinstance(self.custom_properties, Unset):
            custom_properties = self.custom_properties.to_dict()

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
        from ..models.single_send_message import SingleSendMessage  # noqa: PLC0415
        from ..models.single_send_request_contact_properties import (
            SingleSendRequestContactProperties,  # noqa: PLC0415
        )
        from ..models.single_send_request_custom_properties import (
            SingleSendRequestCustomProperties,  # noqa: PLC0415
        )

        d = dict(src_dict)
        email_id = d.pop("emailId")

        message = SingleSendMessage.from_dict(d.pop("message"))

        _contact_properties = d.pop("contactProperties", UNSET)
        contact_properties: SingleSendRequestContactProperties | Unset
        if isinstance(_contact_properties, Unset):
            contact_properties = UNSET
        else:
            contact_properties = SingleSendRequestContactProperties.from_dict(
                _contact_properties
            )

        _custom_properties = d.pop("customProperties", UNSET)
        custom_properties: SingleSendRequestCustomProperties | Unset
        if isinstance(_custom_properties, Unset):
            custom_properties = UNSET
        else:
            custom_properties = SingleSendRequestCustomProperties.from_dict(
                _custom_properties
            )

        single_send_request = cls(
            email_id=email_id,
            message=message,
            contact_properties=contact_properties,
            custom_properties=custom_properties,
        )

        single_send_request.additional_properties = d
        return single_send_request

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
