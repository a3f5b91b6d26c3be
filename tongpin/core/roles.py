"""Who counts as a party-work user (light module: app configs import it while apps load)."""


def is_domain_user(user) -> bool:
    """Logged in, active and not a platform administrator (three-role separation keeps the
    system, security and audit administrators away from members' data)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and not getattr(user, "platform_role", "")
    )
