from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LegacyMessage")


@_attrs_define
class LegacyMessage:
    """The recipient and other customisations. At the minimum, `to` must be present."""

    to: str
    """ The recipient of the email. """
    from_: str | Unset = UNSET
    """ The From header; a display name may be given as `"Sender Name <sender@example.com>"`. """
    send_id: str | Unset = UNSET
    """ The id of this send. No more than one email with a given sendId is sent per account. """
    reply_to: str | Unset = UNSET
    """ The Reply-To header (one address). Use `replyToList` for several. """
    reply_to_list: list[str] | Unset = UNSET
    """ A list of Reply-To header values. """
    cc: list[str] | Unset = UNSET
    """ Cc addresses. """
    bcc: list[str] | Unset = UNSET
    """ Bcc addresses. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        to = self.to

        from_ = self.from_

        send_id = self.send_id

        reply_to = self.reply_to

        reply_to_list: list[str] | Unset = UNSET
        if not isinstance(self.reply_to_list, Unset):
            reply_to_list = self.reply_to_list

        cc: list[str] | Unset = UNSET
        if not isinstance(self.cc, Unset):
            cc = self.cc

        bcc: list[str] | Unset = UNSET
        if not isinstance(self.bcc, Unset):
            bcc = self.bcc

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "to": to,
            }
        )
        if from_ is not UNSET:
            field_dict["from"] = from_
        if send_id is not UNSET:
            field_dict["sendId"] = send_id
        if reply_to is not UNSET:
            field_dict["replyTo"] = reply_to
        if reply_to_list is not UNSET:
            field_dict["replyToList"] = reply_to_list
        if cc is not UNSET:
            field_dict["cc"] = cc
        if bcc is not UNSET:
            field_dict["bcc"] = bcc

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        to = d.pop("to")

        from_ = d.pop("from", UNSET)

        send_id = d.pop("sendId", UNSET)

        reply_to = d.pop("replyTo", UNSET)

        reply_to_list = cast(list[str], d.pop("replyToList", UNSET))

        cc = cast(list[str], d.pop("cc", UNSET))

        bcc = cast(list[str], d.pop("bcc", UNSET))

        legacy_message = cls(
            to=to,
            from_=from_,
            send_id=send_id,
            reply_to=reply_to,
            reply_to_list=reply_to_list,
            cc=cc,
            bcc=bcc,
        )

        legacy_message.additional_properties = d
        return legacy_message

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
