from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.processing_status import ProcessingStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.batch_response_subscriber_email_links import (
        BatchResponseSubscriberEmailLinks,
    )
    from ..models.standard_error import StandardError
    from ..models.subscriber_email_result import SubscriberEmailResult


T = TypeVar("T", bound="BatchResponseSubscriberEmail")


@_attrs_define
class BatchResponseSubscriberEmail:
    """An attendance response; per-input failures are in `errors`."""

    status: ProcessingStatus | str
    results: list[SubscriberEmailResult]
    started_at: datetime.datetime
    """ When processing started. """
    completed_at: datetime.datetime
    """ When processing completed. """
    num_errors: int | Unset = UNSET
    """ The number of errors that occurred while processing. """
    errors: list[StandardError] | Unset = UNSET
    requested_at: datetime.datetime | Unset = UNSET
    """ When the request was made. """
    links: BatchResponseSubscriberEmailLinks | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status: str
        if isinstance(self.status, ProcessingStatus):
            status = self.status.value
        else:
            status = self.status

        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        started_at = self.started_at.isoformat()

        completed_at = self.completed_at.isoformat()

        num_errors = self.num_errors

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        requested_at: str | Unset = UNSET
        if not isinstance(self.requested_at, Unset):
            requested_at = self.requested_at.isoformat()

        links: dict[str, Any] | Unset = UNSET
        if not isinstance(self.links, Unset):
            links = self.links.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "results": results,
                "startedAt": started_at,
                "completedAt": completed_at,
            }
        )
        if num_errors is not UNSET:
            field_dict["numErrors"] = num_errors
        if errors is not UNSET:
            field_dict["errors"] = errors
        if requested_at is not UNSET:
            field_dict["requestedAt"] = requested_at
        if links is not UNSET:
            field_dict["links"] = links

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_response_subscriber_email_links import (
            BatchResponseSubscriberEmailLinks,  # noqa: PLC0415
        )
        from ..models.standard_error import StandardError  # noqa: PLC0415
        from ..models.subscriber_email_result import SubscriberEmailResult  # noqa: PLC0415

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

        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = SubscriberEmailResult.from_dict(results_item_data)

            results.append(results_item)

        started_at = datetime.datetime.fromisoformat(d.pop("startedAt"))

        completed_at = datetime.datetime.fromisoformat(d.pop("completedAt"))

        num_errors = d.pop("numErrors", UNSET)

        _errors = d.pop("errors", UNSET)
        errors: list[StandardError] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = StandardError.from_dict(errors_item_data)

                errors.append(errors_item)

        _requested_at = d.pop("requestedAt", UNSET)
        requested_at: datetime.datetime | Unset
        if isinstance(_requested_at, Unset):
            requested_at = UNSET
        else:
            requested_at = datetime.datetime.fromisoformat(_requested_at)

        _links = d.pop("links", UNSET)
        links: BatchResponseSubscriberEmailLinks | Unset
        if isinstance(_links, Unset):
            links = UNSET
        else:
            links = BatchResponseSubscriberEmailLinks.from_dict(_links)

        batch_response_subscriber_email = cls(
            status=status,
            results=results,
            started_at=started_at,
            completed_at=completed_at,
            num_errors=num_errors,
            errors=errors,
            requested_at=requested_at,
            links=links,
        )

        batch_response_subscriber_email.additional_properties = d
        return batch_response_subscriber_email

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
