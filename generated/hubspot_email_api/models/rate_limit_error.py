from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.rate_limit_policy import RateLimitPolicy
from ..types import UNSET, Unset

T = TypeVar("T", bound="RateLimitError")


@_attrs_define
class RateLimitError:
    """The body of a 429. `policyName` says which limit was reached."""

    status: str | Unset = UNSET
    message: str | Unset = UNSET
    error_type: str | Unset = UNSET
    """ RATE_LIMIT. """
    correlation_id: str | Unset = UNSET
    policy_name: RateLimitPolicy | str | Unset = UNSET
    group_name: str | Unset = UNSET
    request_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        message = self.message

        error_type = self.error_type

        correlation_id = self.correlation_id

        policy_name: str | Unset
        if isinstance(self.policy_name, Unset):
            policy_name = UNSET
        elif isinstance(self.policy_name, RateLimitPolicy):
            policy_name = self.policy_name.value
        else:
            policy_name = self.policy_name

        group_name = self.group_name

        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if status is not UNSET:
            field_dict["status"] = status
        if message is not UNSET:
            field_dict["message"] = message
        if error_type is not UNSET:
            field_dict["errorType"] = error_type
        if correlation_id is not UNSET:
            field_dict["correlationId"] = correlation_id
        if policy_name is not UNSET:
            field_dict["policyName"] = policy_name
        if group_name is not UNSET:
            field_dict["groupName"] = group_name
        if request_id is not UNSET:
            field_dict["requestId"] = request_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = d.pop("status", UNSET)

        message = d.pop("message", UNSET)

        error_type = d.pop("errorType", UNSET)

        correlation_id = d.pop("correlationId", UNSET)

        def _parse_policy_name(data: object) -> RateLimitPolicy | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                policy_name_type_0 = RateLimitPolicy(data)

                return policy_name_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(RateLimitPolicy | str | Unset, data)

        policy_name = _parse_policy_name(d.pop("policyName", UNSET))

        group_name = d.pop("groupName", UNSET)

        request_id = d.pop("requestId", UNSET)

        rate_limit_error = cls(
            status=status,
            message=message,
            error_type=error_type,
            correlation_id=correlation_id,
            policy_name=policy_name,
            group_name=group_name,
            request_id=request_id,
        )

        rate_limit_error.additional_properties = d
        return rate_limit_error

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
