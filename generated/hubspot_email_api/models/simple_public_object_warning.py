from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.simple_public_object_warning_context import (
        SimplePublicObjectWarningContext,
    )


T = TypeVar("T", bound="SimplePublicObjectWarning")


@_attrs_define
class SimplePublicObjectWarning:
    """A warning about one created record."""

    category: str
    context: SimplePublicObjectWarningContext
    message: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category

        context = self.context.to_dict()

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category": category,
                "context": context,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.simple_public_object_warning_context import (
            SimplePublicObjectWarningContext,  # noqa: PLC0415
        )

        d = dict(src_dict)
        category = d.pop("category")

        context = SimplePublicObjectWarningContext.from_dict(d.pop("context"))

        message = d.pop("message")

        simple_public_object_warning = cls(
            category=category,
            context=context,
            message=message,
        )

        simple_public_object_warning.additional_properties = d
        return simple_public_object_warning

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
