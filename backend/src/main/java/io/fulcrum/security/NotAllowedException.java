package io.fulcrum.security;

import org.springframework.security.access.AccessDeniedException;

/**
 * A 403 whose message says exactly what the caller may not do and why, for rules that depend on
 * more than the path (a non-admin asking for everyone's tokens, a password that must be changed
 * first). The API answers it as a problem detail carrying this message.
 */
public class NotAllowedException extends AccessDeniedException {

    public NotAllowedException(String message) {
        super(message);
    }
}
