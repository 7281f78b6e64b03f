"""Contains all the data models used in inputs/outputs"""

from .api_version import ApiVersion
from .association_category import AssociationCategory
from .association_for_create import AssociationForCreate
from .association_spec import AssociationSpec
from .attendance_by_email_request import AttendanceByEmailRequest
from .attendee_by_email import AttendeeByEmail
from .attendee_by_email_contact_properties import AttendeeByEmailContactProperties
from .attendee_by_email_properties import AttendeeByEmailProperties
from .batch_create_emails_request import BatchCreateEmailsRequest
from .batch_response_simple_public_object import BatchResponseSimplePublicObject
from .batch_response_simple_public_object_links import (
    BatchResponseSimplePublicObjectLinks,
)
from .batch_response_subscriber_email import BatchResponseSubscriberEmail
from .batch_response_subscriber_email_links import BatchResponseSubscriberEmailLinks
from .email_create_input import EmailCreateInput
from .email_create_input_properties import EmailCreateInputProperties
from .email_direction import EmailDirection
from .email_send_status_view import EmailSendStatusView
from .email_status import EmailStatus
from .error import Error
from .error_context import ErrorContext
from .error_detail import ErrorDetail
from .error_detail_context_type_0 import ErrorDetailContextType0
from .error_links import ErrorLinks
from .event_id_view import EventIdView
from .legacy_event_id import LegacyEventId
from .legacy_message import LegacyMessage
from .legacy_send_response import LegacySendResponse
from .legacy_send_result import LegacySendResult
from .legacy_single_send_request import LegacySingleSendRequest
from .name_value_pair import NameValuePair
from .processing_status import ProcessingStatus
from .public_object_id import PublicObjectId
from .rate_limit_error import RateLimitError
from .rate_limit_policy import RateLimitPolicy
from .send_result import SendResult
from .simple_public_object import SimplePublicObject
from .simple_public_object_properties import SimplePublicObjectProperties
from .simple_public_object_properties_with_history import (
    SimplePublicObjectPropertiesWithHistory,
)
from .simple_public_object_warning import SimplePublicObjectWarning
from .simple_public_object_warning_context import SimplePublicObjectWarningContext
from .single_send_message import SingleSendMessage
from .single_send_request import SingleSendRequest
from .single_send_request_contact_properties import SingleSendRequestContactProperties
from .single_send_request_custom_properties import SingleSendRequestCustomProperties
from .standard_error import StandardError
from .standard_error_context import StandardErrorContext
from .standard_error_links import StandardErrorLinks
from .standard_error_sub_category import StandardErrorSubCategory
from .subscriber_email_result import SubscriberEmailResult
from .subscriber_state import SubscriberState
from .value_with_timestamp import ValueWithTimestamp

__all__ = (
    "ApiVersion",
    "AssociationCategory",
    "AssociationForCreate",
    "AssociationSpec",
    "AttendanceByEmailRequest",
    "AttendeeByEmail",
    "AttendeeByEmailContactProperties",
    "AttendeeByEmailProperties",
    "BatchCreateEmailsRequest",
    "BatchResponseSimplePublicObject",
    "BatchResponseSimplePublicObjectLinks",
    "BatchResponseSubscriberEmail",
    "BatchResponseSubscriberEmailLinks",
    "EmailCreateInput",
    "EmailCreateInputProperties",
    "EmailDirection",
    "EmailSendStatusView",
    "EmailStatus",
    "Error",
    "ErrorContext",
    "ErrorDetail",
    "ErrorDetailContextType0",
    "ErrorLinks",
    "EventIdView",
    "LegacyEventId",
    "LegacyMessage",
    "LegacySendResponse",
    "LegacySendResult",
    "LegacySingleSendRequest",
    "NameValuePair",
    "ProcessingStatus",
    "PublicObjectId",
    "RateLimitError",
    "RateLimitPolicy",
    "SendResult",
    "SimplePublicObject",
    "SimplePublicObjectProperties",
    "SimplePublicObjectPropertiesWithHistory",
    "SimplePublicObjectWarning",
    "SimplePublicObjectWarningContext",
    "SingleSendMessage",
    "SingleSendRequest",
    "SingleSendRequestContactProperties",
    "SingleSendRequestCustomProperties",
    "StandardError",
    "StandardErrorContext",
    "StandardErrorLinks",
    "StandardErrorSubCategory",
    "SubscriberEmailResult",
    "SubscriberState",
    "ValueWithTimestamp",
)
