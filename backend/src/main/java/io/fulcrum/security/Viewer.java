package io.fulcrum.security;

import java.util.Collection;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * The signed-in user as pages see it ({@code ${viewer}}): their name, role, and what they may do,
 * so that templates hide the buttons of actions the role may not take.
 */
public record Viewer(String username, Role role) {

    public boolean canEngineer() {
        return role.compareTo(Role.ENGINEER) >= 0;
    }

    public boolean canAdmin() {
        return role == Role.ADMIN;
    }

    /** The viewer of an authenticated user or personal token, or null for anyone else. */
    public static Viewer of(Authentication authentication) {
        if (!signedIn(authentication)) {
            return null;
        }
        Role role = highestRole(authentication.getAuthorities());
        return role == null ? null : new Viewer(authentication.getName(), role);
    }

    /** A user or token, as opposed to no credentials at all (null or Spring's anonymous token). */
    public static boolean signedIn(Authentication authentication) {
        return authentication != null
                && !(authentication instanceof AnonymousAuthenticationToken)
                && authentication.isAuthenticated();
    }

    static Role highestRole(Collection<? extends GrantedAuthority> authorities) {
        Role highest = null;
        for (GrantedAuthority authority : authorities) {
            for (Role role : Role.values()) {
                if (role.authority().equals(authority.getAuthority())
                        && (highest == null || role.compareTo(highest) > 0)) {
                    highest = role;
                }
            }
        }
        return highest;
    }
}
