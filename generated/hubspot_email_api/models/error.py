from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_context import ErrorContext
    from ..models.error_detail import ErrorDetail
    from ..models.error_links import ErrorLinks


T = TypeVar("T", bound="Error")


@_attrs_define
class Error:
    """HubSpot's standard error body. HubSpot's own description requires category, correlationId and
    message, but its guidance is to treat every field as optional when parsing; we require none.

    """

    category: str | Unset = UNSET
    """ The error category (e.g. VALIDATION_ERROR, RATE_LIMITS). """
    correlation_id: str | Unset = UNSET
    """ HubSpot's request id (a UUID); quote it to HubSpot support. """
    message: str | Unset = UNSET
    """ A human-readable description of the error. """
    sub_category: str | Unset = UNSET
    context: ErrorContext | Unset = UNSET
    """ Context by key, e.g. `missingScopes` on a 403. """
    links: ErrorLinks | Unset = UNSET
    errors: list[ErrorDetail] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category

        correlation_id = self.correlation_id

        message = self.message

        sub_category = self.sub_category

        context: dict[str, Any] | Unset = UNSET
        if not isinstance(self.context, Unset):
            context = self.context.to_dict()

        links: dict[str, Any] | Unset = UNSET
        if not isinstance(self.links, Unset):
            links = self.links.to_dict()

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if category is not UNSET:
            field_dict["category"] = category
        if correlation_id is not UNSET:
            field_dict["correlationId"] = correlation_id
        if message is not UNSET:
            field_dict["message"] = message
        if sub_category is not UNSET:
            field_dict["subCategory"] = sub_category
        if context is not UNSET:
            field_dict["context"] = context
        if links is not UNSET:
            field_dict["links"] = links
        if errors is not UNSET:
            field_dict["errors"] = errors

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_context import ErrorContext  # noqa: PLC0415
        from ..models.error_detail import ErrorDetail  # noqa: PLC0415
        from ..models.error_links import ErrorLinks  # noqa: PLC0415

        d = dict(src_dict)
        category = d.pop("category", UNSET)

        correlation_id = d.pop("correlationId", UNSET)

        message = d.pop("message", UNSET)

        sub_category = d.pop("subCategory", UNSET)

        _context = d.pop("context", UNSET)
        context: ErrorContext | Unset
        if isinstance(_context, Unset):
            context = UNSET
        else:
            context = ErrorContext.from_dict(_context)

        _links = d.pop("links", UNSET)
        links: ErrorLinks | Unset
        if isinstance(_links, Unset):
            links = UNSET
        else:
            links = ErrorLinks.from_dict(_links)

        _errors = d.pop("errors", UNSET)
        errors: list[ErrorDetail] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = ErrorDetail.from_dict(errors_item_data)

                errors.append(errors_item)

        error = cls(
            category=category,
            correlation_id=correlation_id,
            message=message,
            sub_category=sub_category,
            context=context,
            links=links,
            errors=errors,
        )

        error.additional_properties = d
        return error

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
