"""Pure pandas analysis of survey responses: the outcome measures and their publication.

Never imports Flask or SQLAlchemy: the app loads rows into DataFrames (analysis/load.py)
and everything here is a function of those frames.
"""
