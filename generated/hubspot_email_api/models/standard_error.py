from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_detail import ErrorDetail
    from ..models.standard_error_context import StandardErrorContext
    from ..models.standard_error_links import StandardErrorLinks
    from ..models.standard_error_sub_category import StandardErrorSubCategory


T = TypeVar("T", bound="StandardError")


@_attrs_define
class StandardError:
    """One failed input of a batch. HubSpot's description requires every field but id and subCategory;
    following its guidance to parse error fields leniently, we require only status, category and
    message (an error without them carries no meaning).

    """

    status: str
    category: str
    message: str
    id: str | Unset = UNSET
    sub_category: StandardErrorSubCategory | Unset = UNSET
    errors: list[ErrorDetail] | Unset = UNSET
    context: StandardErrorContext | Unset = UNSET
    """ Context by key; the input's `objectWriteTraceId` appears here when one was given. """
    links: StandardErrorLinks | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        category = self.category

        message = self.message

        id = self.id

        sub_category: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sub_category, Unset):
            sub_category = self.sub_category.to_dict()

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        context: dict[str, Any] | Unset = UNSET
        if not isinstance(self.context, Unset):
            context = self.context.to_dict()

        links: dict[str, Any] | Unset = UNSET
        if not isinstance(self.links, Unset):
            links = self.links.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "category": category,
                "message": message,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if sub_category is not UNSET:
            field_dict["subCategory"] = sub_category
        if errors is not UNSET:
            field_dict["errors"] = errors
        if context is not UNSET:
            field_dict["context"] = context
        if links is not UNSET:
            field_dict["links"] = links

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_detail import ErrorDetail  # noqa: PLC0415
        from ..models.standard_error_context import StandardErrorContext  # noqa: PLC0415
        from ..models.standard_error_links import StandardErrorLinks  # noqa: PLC0415
        from ..models.standard_error_sub_category import StandardErrorSubCategory  # noqa: PLC0415

        d = dict(src_dict)
        status = d.pop("status")

        category = d.pop("category")

        message = d.pop("message")

        id = d.pop("id", UNSET)

        _sub_category = d.pop("subCategory", UNSET)
        sub_category: StandardErrorSubCategory | Unset
        if isinstance(_sub_category, Unset):
            sub_category = UNSET
        else:
            sub_category = StandardErrorSubCategory.from_dict(_sub_category)

        _errors = d.pop("errors", UNSET)
        errors: list[ErrorDetail] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = ErrorDetail.from_dict(errors_item_data)

                errors.append(errors_item)

        _context = d.pop("context", UNSET)
        context: StandardErrorContext | Unset
        if isinstance(_context, Unset):
            context = UNSET
        else:
            context = StandardErrorContext.from_dict(_context)

        _links = d.pop("links", UNSET)
        links: StandardErrorLinks | Unset
        if isinstance(_links, Unset):
            links = UNSET
        else:
            links = StandardErrorLinks.from_dict(_links)

        standard_error = cls(
            status=status,
            category=category,
            message=message,
            id=id,
            sub_category=sub_category,
            errors=errors,
            context=context,
            links=links,
        )

        standard_error.additional_properties = d
        return standard_error

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
