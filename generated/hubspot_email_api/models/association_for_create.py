from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.association_spec import AssociationSpec
    from ..models.public_object_id import PublicObjectId


T = TypeVar("T", bound="AssociationForCreate")


@_attrs_define
class AssociationForCreate:
    to: PublicObjectId
    types: list[AssociationSpec]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        to = self.to.to_dict()

        types = []
        for types_item_data in self.types:
            types_item = types_item_data.to_dict()
            types.append(types_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "to": to,
                "types": types,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.association_spec import AssociationSpec  # noqa: PLC0415
        from ..models.public_object_id import PublicObjectId  # noqa: PLC0415

        d = dict(src_dict)
        to = PublicObjectId.from_dict(d.pop("to"))

        types = []
        _types = d.pop("types")
        for types_item_data in _types:
            types_item = AssociationSpec.from_dict(types_item_data)

            types.append(types_item)

        association_for_create = cls(
            to=to,
            types=types,
        )

        association_for_create.additional_properties = d
        return association_for_create

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
