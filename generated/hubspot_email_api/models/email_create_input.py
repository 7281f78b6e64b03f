from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.association_for_create import AssociationForCreate
    from ..models.email_create_input_properties import EmailCreateInputProperties


T = TypeVar("T", bound="EmailCreateInput")


@_attrs_define
class EmailCreateInput:
    """One email engagement. `properties.hs_timestamp` is required by HubSpot (epoch milliseconds or
    ISO-8601 UTC; seconds put the email in January 1970). Other properties: hs_email_direction
    (EMAIL, INCOMING_EMAIL, FORWARDED_EMAIL), hs_email_status (BOUNCED, FAILED, SCHEDULED, SENDING,
    SENT), hs_email_subject, hs_email_text, hs_email_html, hs_email_headers (a JSON string),
    hs_attachment_ids (semicolon separated), hubspot_owner_id.

    """

    properties: EmailCreateInputProperties
    """ Property values by name. """
    associations: list[AssociationForCreate]
    """ Records to associate the email with; may be empty. """
    object_write_trace_id: str | Unset = UNSET
    """ A caller-chosen id, unique within the batch, that HubSpot echoes on this input's result or error. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        properties = self.properties.to_dict()

        associations = []
        for associations_item_data in self.associations:
            associations_item = associations_item_data.to_dict()
            associations.append(associations_item)

        object_write_trace_id = self.object_write_trace_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "properties": properties,
                "associations": associations,
            }
        )
        if object_write_trace_id is not UNSET:
            field_dict["objectWriteTraceId"] = object_write_trace_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.association_for_create import AssociationForCreate  # noqa: PLC0415
        from ..models.email_create_input_properties import EmailCreateInputProperties  # noqa: PLC0415

        d = dict(src_dict)
        properties = EmailCreateInputProperties.from_dict(d.pop("properties"))

        associations = []
        _associations = d.pop("associations")
        for associations_item_data in _associations:
            associations_item = AssociationForCreate.from_dict(associations_item_data)

            associations.append(associations_item)

        object_write_trace_id = d.pop("objectWriteTraceId", UNSET)

        email_create_input = cls(
            properties=properties,
            associations=associations,
            object_write_trace_id=object_write_trace_id,
        )

        email_create_input.additional_properties = d
        return email_create_input

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
