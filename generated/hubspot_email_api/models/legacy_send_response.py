from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.legacy_send_result import LegacySendResult
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.legacy_event_id import LegacyEventId


T = TypeVar("T", bound="LegacySendResponse")


@_attrs_define
class LegacySendResponse:
    """The result of a legacy single send."""

    send_result: LegacySendResult | str
    """ The result of the send attempt. """
    message: str | Unset = UNSET
    """ A description of the send result. """
    event_id: LegacyEventId | Unset = UNSET
    """ If sent, the id and creation time of the send event. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        send_result: str
        if isinstance(self.send_result, LegacySendResult):
            send_result = self.send_result.value
        else:
            send_result = self.send_result

        message = self.message

        event_id: dict[str, Any] | Unset = UNSET
        if not isinstance(self.event_id, Unset):
            event_id = self.event_id.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sendResult": send_result,
            }
        )
        if message is not UNSET:
            field_dict["message"] = message
        if event_id is not UNSET:
            field_dict["eventId"] = event_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.legacy_event_id import LegacyEventId  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_send_result(data: object) -> LegacySendResult | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                send_result_type_0 = LegacySendResult(data)

                return send_result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LegacySendResult | str, data)

        send_result = _parse_send_result(d.pop("sendResult"))

        message = d.pop("message", UNSET)

        _event_id = d.pop("eventId", UNSET)
        event_id: LegacyEventId | Unset
        if isinstance(_event_id, Unset):
            event_id = UNSET
        else:
            event_id = LegacyEventId.from_dict(_event_id)

        legacy_send_response = cls(
            send_result=send_result,
            message=message,
            event_id=event_id,
        )

        legacy_send_response.additional_properties = d
        return legacy_send_response

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
