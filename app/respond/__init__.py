"""The respondent journey: start page, one question a page, check answers, send, receipt."""
