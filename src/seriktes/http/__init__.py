"""HTTP plumbing shared by every route, JSON or HTML: the request session and short side
writes (`deps`), the language of a request (`language`), the signed-in user, API tokens and
CSRF (`auth`), and the parameters, headers and error answers the domains' JSON routes share
(`params`). It sits below the domains' `api.py` modules and above accounts."""
