"""HTTP plumbing shared by every JSON route.

The request session, the signed-in user, CSRF and the shared API parameters.
"""
