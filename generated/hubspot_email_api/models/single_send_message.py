from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SingleSendMessage")


@_attrs_define
class SingleSendMessage:
    """The recipient and anything else to override on the published email. `to` is required."""

    to: str
    """ The recipient's email address. """
    from_: str | Unset = UNSET
    """ The From header; a display name may be given as `"Sender Name <sender@example.com>"`. """
    send_id: str | Unset = UNSET
    """ The id of this send. At most one email is sent per sendId per account, so it is the idempotency key. """
    reply_to: list[str] | Unset = UNSET
    """ Reply-To addresses. """
    cc: list[str] | Unset = UNSET
    """ Cc addresses. """
    bcc: list[str] | Unset = UNSET
    """ Bcc addresses. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        to = self.to

        from_ = self.from_

        send_id = self.send_id

        reply_to: list[str] | Unset = UNSET
        if not isinstance(self.reply_to, Unset):
            reply_to = self.reply_to

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

        reply_to = cast(list[str], d.pop("replyTo", UNSET))

        cc = cast(list[str], d.pop("cc", UNSET))

        bcc = cast(list[str], d.pop("bcc", UNSET))

        single_send_message = cls(
            to=to,
            from_=from_,
            send_id=send_id,
            reply_to=reply_to,
            cc=cc,
            bcc=bcc,
        )

        single_send_message.additional_properties = d
        return single_send_message

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
