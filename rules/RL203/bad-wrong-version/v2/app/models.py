class Session:
    __vsn__ = 3

    def __init__(self, user):
        self.user = user
        self.name = user.title()
        self.roles = ["reader"]

    def __code_change__(self, old_vsn, extra):
        if old_vsn == 1:  # written for the last release; nothing handles 2
            self.name = self.user.title()
            self.roles = ["reader"]

    def describe(self):
        return f"{self.name} ({', '.join(self.roles)})"


class Profile:
    __vsn__ = "c"

    def __init__(self, email):
        self.email = email
        self.domain = email.partition("@")[2]

    def __code_change__(self, old_vsn, extra):
        match old_vsn:
            case "a":
                self.domain = self.email.partition("@")[2]

    def describe(self):
        return f"{self.email} at {self.domain}"


def make():
    return [Session("ann"), Profile("ann@example.org")]
