"""HTTP plumbing shared by every route, JSON or HTML: the request session and short side
writes (`deps`), the language of a request (`language`), the signed-in user, API tokens and
CSRF (`auth`), the parameters, headers and error answers the domains' JSON routes share
(`params`), a page of a list and the error answer (`schemas`). It sits below the domains'
`api.py` modules and above accounts."""
