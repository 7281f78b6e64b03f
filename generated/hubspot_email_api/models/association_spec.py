from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.association_category import AssociationCategory

T = TypeVar("T", bound="AssociationSpec")


@_attrs_define
class AssociationSpec:
    """An association type. Default HUBSPOT_DEFINED type ids from an email: to a contact 198, a
    company 186, a deal 210, a ticket 224.

    """

    association_category: AssociationCategory | str
    association_type_id: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        association_category: str
        if isinstance(self.association_category, AssociationCategory):
            association_category = self.association_category.value
        else:
            association_category = self.association_category

        association_type_id = self.association_type_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "associationCategory": association_category,
                "associationTypeId": association_type_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_association_category(data: object) -> AssociationCategory | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                association_category_type_0 = AssociationCategory(data)

                return association_category_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AssociationCategory | str, data)

        association_category = _parse_association_category(d.pop("associationCategory"))

        association_type_id = d.pop("associationTypeId")

        association_spec = cls(
            association_category=association_category,
            association_type_id=association_type_id,
        )

        association_spec.additional_properties = d
        return association_spec

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
