from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_detail_context_type_0 import ErrorDetailContextType0


T = TypeVar("T", bound="ErrorDetail")


@_attrs_define
class ErrorDetail:
    message: str
    code: str | Unset = UNSET
    in_: str | Unset = UNSET
    """ The name of the field or parameter the error is about. """
    sub_category: str | Unset = UNSET
    context: ErrorDetailContextType0 | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.error_detail_context_type_0 import ErrorDetailContextType0  # noqa: PLC0415

        message = self.message

        code = self.code

        in_ = self.in_

        sub_category = self.sub_category

        context: dict[str, Any] | str | Unset
        if isinstance(self.context, Unset):
            context = UNSET
        elif isinstance(self.context, ErrorDetailContextType0):
            context = self.context.to_dict()
        else:
            context = self.context

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message": message,
            }
        )
        if code is not UNSET:
            field_dict["code"] = code
        if in_ is not UNSET:
            field_dict["in"] = in_
        if sub_category is not UNSET:
            field_dict["subCategory"] = sub_category
        if context is not UNSET:
            field_dict["context"] = context

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_detail_context_type_0 import ErrorDetailContextType0  # noqa: PLC0415

        d = dict(src_dict)
        message = d.pop("message")

        code = d.pop("code", UNSET)

        in_ = d.pop("in", UNSET)

        sub_category = d.pop("subCategory", UNSET)

        def _parse_context(data: object) -> ErrorDetailContextType0 | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                context_type_0 = ErrorDetailContextType0.from_dict(data)

                return context_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ErrorDetailContextType0 | str | Unset, data)

        context = _parse_context(d.pop("context", UNSET))

        error_detail = cls(
            message=message,
            code=code,
            in_=in_,
            sub_category=sub_category,
            context=context,
        )

        error_detail.additional_properties = d
        return error_detail

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
