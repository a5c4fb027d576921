"""Closing the loop: the safeguarding queue, the action log and "You said, we did" reports."""
