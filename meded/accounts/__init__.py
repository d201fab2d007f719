"""Members: the custom User (the university email is the login; the year of study the
committee relies on), the profile page, sign-up forms and the allauth adapter."""
