"""The staff workspace: signing in, roles, and the pages of officers, forum and safeguarding."""
