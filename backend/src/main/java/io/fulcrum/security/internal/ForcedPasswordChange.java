package io.fulcrum.security.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * A user whose password was set by someone else (the first admin's printed one-time password, a
 * user an admin created or reset) must choose their own before doing anything else. The flag is
 * read once at sign-in into the session and cleared there when the password is changed, so that
 * no page request has to ask the database.
 */
public final class ForcedPasswordChange {

    /** The page where the password is changed; the only page such a user may open. */
    public static final String PAGE = "/account/password";

    public static final String SESSION_ATTRIBUTE = ForcedPasswordChange.class.getName();

    private ForcedPasswordChange() {}

    public static void require(HttpServletRequest request) {
        request.getSession().setAttribute(SESSION_ATTRIBUTE, Boolean.TRUE);
    }

    /** Whether this request's session still has to change its password. */
    public static boolean required(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session != null && Boolean.TRUE.equals(session.getAttribute(SESSION_ATTRIBUTE));
    }

    /** Lifts the requirement for this session after the password was changed. */
    public static void done(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(SESSION_ATTRIBUTE);
        }
    }
}
