from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.processing_status import ProcessingStatus
from ..models.send_result import SendResult
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_id_view import EventIdView


T = TypeVar("T", bound="EmailSendStatusView")


@_attrs_define
class EmailSendStatusView:
    """Describes the status of an email send request."""

    status: ProcessingStatus | str
    """ The status of the send request. """
    status_id: str
    """ The id used to look up the status of the send. """
    send_result: SendResult | str | Unset = UNSET
    """ The result of the send. """
    event_id: EventIdView | Unset = UNSET
    """ The id of a send event. """
    requested_at: datetime.datetime | Unset = UNSET
    """ When the send was requested. """
    started_at: datetime.datetime | Unset = UNSET
    """ When processing of the send started. """
    completed_at: datetime.datetime | Unset = UNSET
    """ When the send was completed. """
    message: str | Unset = UNSET
    """ A human-readable description of the result. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status: str
        if isinstance(self.status, ProcessingStatus):
            status = self.status.value
        else:
            status = self.status

        status_id = self.status_id

        send_result: str | Unset
        if isinstance(self.send_result, Unset):
            send_result = UNSET
        elif isinstance(self.send_result, SendResult):
            send_result = self.send_result.value
        else:
            send_result = self.send_result

        event_id: dict[str, Any] | Unset = UNSET
        if not isinstance(self.event_id, Unset):
            event_id = self.event_id.to_dict()

        requested_at: str | Unset = UNSET
        if not isinstance(self.requested_at, Unset):
            requested_at = self.requested_at.isoformat()

        started_at: str | Unset = UNSET
        if not isinstance(self.started_at, Unset):
            started_at = self.started_at.isoformat()

        completed_at: str | Unset = UNSET
        if not isinstance(self.completed_at, Unset):
            completed_at = self.completed_at.isoformat()

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "statusId": status_id,
            }
        )
        if send_result is not UNSET:
            field_dict["sendResult"] = send_result
        if event_id is not UNSET:
            field_dict["eventId"] = event_id
        if requested_at is not UNSET:
            field_dict["requestedAt"] = requested_at
        if started_at is not UNSET:
            field_dict["startedAt"] = started_at
        if completed_at is not UNSET:
            field_dict["completedAt"] = completed_at
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_id_view import EventIdView  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_status(data: object) -> ProcessingStatus | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = ProcessingStatus(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ProcessingStatus | str, data)

        status = _parse_status(d.pop("status"))

        status_id = d.pop("statusId")

        def _parse_send_result(data: object) -> SendResult | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                send_result_type_0 = SendResult(data)

                return send_result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(SendResult | str | Unset, data)

        send_result = _parse_send_result(d.pop("sendResult", UNSET))

        _event_id = d.pop("eventId", UNSET)
        event_id: EventIdView | Unset
        if isinstance(_event_id, Unset):
            event_id = UNSET
        else:
            event_id = EventIdView.from_dict(_event_id)

        _requested_at = d.pop("requestedAt", UNSET)
        requested_at: datetime.datetime | Unset
        if isinstance(_requested_at, Unset):
            requested_at = UNSET
        else:
            requested_at = datetime.datetime.fromisoformat(_requested_at)

        _started_at = d.pop("startedAt", UNSET)
        started_at: datetime.datetime | Unset
        if isinstance(_started_at, Unset):
            started_at = UNSET
        else:
            started_at = datetime.datetime.fromisoformat(_started_at)

        _completed_at = d.pop("completedAt", UNSET)
        completed_at: datetime.datetime | Unset
        if isinstance(_completed_at, Unset):
            completed_at = UNSET
        else:
            completed_at = datetime.datetime.fromisoformat(_completed_at)

        message = d.pop("message", UNSET)

        email_send_status_view = cls(
            status=status,
            status_id=status_id,
            send_result=send_result,
            event_id=event_id,
            requested_at=requested_at,
            started_at=started_at,
            completed_at=completed_at,
            message=message,
        )

        email_send_status_view.additional_properties = d
        return email_send_status_view

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
