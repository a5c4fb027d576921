"""Pure pandas analysis of survey responses: the outcome measures and their publication.

Never imports Flask or SQLAlchemy: the app turns database rows into DataFrames, and
everything here is a function of those frames.
"""
