package io.fulcrum.security.internal;

import io.fulcrum.security.UserAccount;
import io.fulcrum.security.UserAccounts;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;

/**
 * After a successful sign-in: a user who must change their password goes to the password page
 * (the flag travels in the session from here on); everyone else to the page they asked for, or
 * the dashboard.
 */
public class SignInSuccessHandler implements AuthenticationSuccessHandler {

    private final UserAccounts users;
    private final SavedRequestAwareAuthenticationSuccessHandler usual =
            new SavedRequestAwareAuthenticationSuccessHandler();

    SignInSuccessHandler(UserAccounts users) {
        this.users = users;
        usual.setDefaultTargetUrl("/");
    }

    @Override
    public void onAuthenticationSuccess(
            HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException, ServletException {
        boolean mustChange = users.find(authentication.getName())
                .map(UserAccount::passwordChangeRequired)
                .orElse(false);
        if (mustChange) {
            ForcedPasswordChange.require(request);
            response.sendRedirect(request.getContextPath() + ForcedPasswordChange.PAGE);
        } else {
            usual.onAuthenticationSuccess(request, response, authentication);
        }
    }
}
