package io.fulcrum.security.internal;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Tells the {@link SignInThrottle} how each form sign-in ended. Spring Security publishes these events
 * for every authentication by user name and password; bearer tokens are checked elsewhere and never
 * reach here.
 */
@Component
public class SignInAttemptListener {

    private final SignInThrottle throttle;

    SignInAttemptListener(SignInThrottle throttle) {
        this.throttle = throttle;
    }

    @EventListener
    public void failed(AbstractAuthenticationFailureEvent event) {
        Authentication attempt = event.getAuthentication();
        if (attempt instanceof UsernamePasswordAuthenticationToken
                && attempt.getDetails() instanceof WebAuthenticationDetails details) {
            throttle.failed(attempt.getName(), details.getRemoteAddress());
        }
    }

    @EventListener
    public void succeeded(AuthenticationSuccessEvent event) {
        Authentication user = event.getAuthentication();
        if (user instanceof UsernamePasswordAuthenticationToken
                && user.getDetails() instanceof WebAuthenticationDetails) {
            throttle.succeeded(user.getName());
        }
    }
}
