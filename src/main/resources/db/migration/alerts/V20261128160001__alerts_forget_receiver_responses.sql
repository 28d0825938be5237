-- compatibility: expand
-- A failed delivery used to keep the first 200 characters of the receiver's answer in last_error, which the
-- API returned: an internal service's response could be read back through a webhook. Only the status stays.
update notification_delivery
set last_error = substring(last_error from '^IOException: (HTTP [0-9]{3})') || ' from the receiver'
where last_error ~ '^IOException: HTTP [0-9]{3}';
