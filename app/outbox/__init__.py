"""The outbox: the one door every email leaves by, as `app/responses.py` is the one door
answers enter by.

A message is queued (`queue.queue_message`) in the transaction of the change that causes
it, so it exists exactly when that change does; `flask outbox send` (`worker.py`) sends
it through the configured backend (`backends.py`: a mail relay or GOV.UK Notify), with
retries. `messages.py` holds what each kind of email says, `notices.py` who is told what
as a report moves on, `removal.py` the parent carers' "remove my address" link.
"""
